/** Addresses as kept per connection (one char per byte) compare and print like the bytes on the wire. */
import { addressBytes, formatAddress, formatEndpoint, sameAddress } from '../../src/flow/endpoint-key';

describe('address bytes', () => {
  const packet = Buffer.from([0xff, 192, 0, 2, 10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff]);

  it('keeps every byte value, 0 to 255, and compares against the packet', () => {
    const v4 = addressBytes(packet, 1, 4);
    expect(v4.length).toBe(4);
    expect(sameAddress(v4, packet, 1, 4)).toBe(true);
    expect(sameAddress(v4, packet, 2, 4)).toBe(false);
    expect(sameAddress(v4, packet, 1, 16)).toBe(false);
    expect(sameAddress(addressBytes(packet, 0, 4), packet, 0, 4)).toBe(true);
    expect(formatAddress(addressBytes(packet, 0, 4))).toBe('255.192.0.2');
  });

  it('prints IPv4 and compressed IPv6 endpoints', () => {
    expect(formatEndpoint(addressBytes(packet, 1, 4), 8080)).toBe('192.0.2.10:8080');
    expect(formatEndpoint(addressBytes(packet, 5, 16), 443)).toBe('[2001:db8::1]:443');
  });
});
