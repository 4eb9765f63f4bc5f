/** Types for pcap-parser 0.2.1 (node_modules/pcap-parser/lib/pcap-parser.js), which ships none. */
declare module 'pcap-parser' {
  export interface GlobalHeader {
    magicNumber: number;
    majorVersion: number;
    minorVersion: number;
    gmtOffset: number;
    timestampAccuracy: number;
    snapshotLength: number;
    linkLayerType: number;
  }

  export interface PacketHeader {
    timestampSeconds: number;
    /** The fraction as stored: nanoseconds in a nanosecond file. */
    timestampMicroseconds: number;
    capturedLength: number;
    originalLength: number;
  }

  export interface Packet {
    header: PacketHeader;
    data: Buffer;
  }

  /** What the parser uses of its input: 'data', 'end' and 'error' events, pause() and resume(). */
  export interface ParserInput extends NodeJS.EventEmitter {
    pause(): unknown;
    resume(): unknown;
  }

  export interface Parser {
    on(event: 'globalHeader', listener: (header: GlobalHeader) => void): this;
    on(event: 'packetHeader', listener: (header: PacketHeader) => void): this;
    on(event: 'packet', listener: (packet: Packet) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'end', listener: () => void): this;
  }

  export function parse(input: string | ParserInput): Parser;
}
