import { rotationShape } from '../../src/scan/rotation-name';

/** Names of one rotation share a shape; names of different captures do not. */
describe('rotationShape', () => {
  it.each<[string, string[]]>([
    ['tcpdump -C', ['dump.pcap', 'dump.pcap1', 'dump.pcap2', 'dump.pcap13']],
    ['tcpdump -C -W (padded)', ['dump.pcap00', 'dump.pcap01', 'dump.pcap09']],
    ['tcpdump -C -z gzip', ['dump.pcap.gz', 'dump.pcap1.gz', 'dump.pcap2']],
    ['tcpdump -G %Y%m%d-%H%M%S', ['eth0-20261124-101500.pcap', 'eth0-20261124-111500.pcap']],
    ['tcpdump -G %F_%T-ish', ['web_2026-11-24_10-15-00.pcap', 'web_2026-11-25_00-00-00.pcap']],
    ['tcpdump -G %s', ['cap-1795620987.pcap', 'cap-1795624587.pcap']],
    ['tcpdump -G and -C', ['x-20261124-1015.pcap', 'x-20261124-1015.pcap1', 'x-20261124-1115.pcap']],
    ['dumpcap -b', ['ring_00001_20261124101500.pcapng', 'ring_00002_20261124101612.pcapng', 'ring_00010_20261124111500.pcapng.gz']],
    ['daily files', ['host-2026-11-24.pcap', 'host-2026-11-25.pcap']],
  ])('%s', (_tool, names) => {
    expect(new Set(names.map(rotationShape)).size).toBe(1);
  });

  it.each<[string, string[]]>([
    ['different hosts', ['host1.pcap', 'host2.pcap']],
    ['different interfaces', ['eth0-20261124.pcap', 'eth1-20261124.pcap']],
    ['different rotations', ['dump.pcap1', 'other.pcap1']],
    ['a number that is no date', ['case-12345678.pcap', 'case-12345679.pcap']],
    ['different dumpcap prefixes', ['a_00001_20261124101500.pcapng', 'b_00001_20261124101500.pcapng']],
  ])('%s stay apart', (_what, names) => {
    expect(new Set(names.map(rotationShape)).size).toBe(names.length);
  });
});
