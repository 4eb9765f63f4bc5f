/** The corpus captures that are damaged on purpose: what we deliver and what we report. */
import { join } from 'node:path';
import { collect } from './collect';
import { CORPUS_CAPTURES, corpusAvailable } from '../support/corpus';

const run = corpusAvailable() ? describe : describe.skip;
const capture = (name: string): string => join(CORPUS_CAPTURES, name);

run('damaged corpus captures', () => {
  it('bug-1450-04: stops at the 4325376-byte record 7, as tshark does, after 6 frames', async () => {
    const { records, issues, result } = await collect(capture('suricata__bug-1450-04__tls_DER-incomplete-header.pcap'));
    expect(records).toHaveLength(6);
    expect(issues).toEqual([{
      code: 'oversized-record', offset: 5035, frame: 7,
      message: 'record 7 at offset 5035 claims 4325376 captured bytes, more than the maximum of 262144; reading stopped',
    }]);
    expect(result).toMatchObject({ records: 6, bytes: 5035, damaged: true });
    // Frame 2 is dated 1994 in the file (tshark prints 761195582.033594).
    expect(new Date(records[1].ts * 1000).getUTCFullYear()).toBe(1994);
  });

  it('smtp-to-comma: stops at the 3925868813-byte record 19 after 18 frames', async () => {
    const { records, issues, result } = await collect(capture('suricata__smtp-to-comma__10.7.29.101_49898-178.63.41.150_25.pcap'));
    expect(records).toHaveLength(18);
    expect(issues).toEqual([{
      code: 'oversized-record', offset: 3695, frame: 19,
      message: 'record 19 at offset 3695 claims 3925868813 captured bytes, more than the maximum of 262144; reading stopped',
    }]);
    expect(result).toMatchObject({ bytes: 3695, damaged: true });
  });

  it('http-mime-truncated: 2696 whole frames, then one stray byte of a record header', async () => {
    const { records, issues, result } = await collect(capture('suricata__http-mime-truncated__input.pcap'));
    expect(records).toHaveLength(2696);
    expect(issues).toEqual([{
      code: 'truncated-record', offset: 2715459, frame: 2697,
      message: 'capture ends inside the header of record 2697 at offset 2715459 (1 of 16 bytes present)',
    }]);
    expect(result).toMatchObject({ bytes: 2715460, damaged: true });
  });

  it('trunc-hdr: one 8-byte record of a 78-byte frame (snaplen 1 in the header) is no damage to the file', async () => {
    const { records, issues, result } = await collect(capture('zeek__trunc__trunc-hdr.pcap'));
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.frame, r.data.length, r.origLen, r.offset, r.linkType])).toEqual([[1, 8, 78, 24, 1]]);
    expect(result).toMatchObject({ records: 1, damaged: false });
  });

  it('empty: a header-only file gives its info, no records and no issue', async () => {
    const { records, issues, infos, result } = await collect(capture('zeek__empty.pcap'));
    expect([records, issues]).toEqual([[], []]);
    expect(infos).toEqual([{ format: 'pcap', byteOrder: 'LE', gzip: false, linkTypes: [1], sections: 1 }]);
    expect(result).toEqual({ info: infos[0], records: 0, bytes: 24, damaged: false });
  });
});
