import { join, relative } from 'node:path';
import { isReportPath, reportPath } from '../../src/scan/report-names';

describe('per-file report names', () => {
  const hostile = ['../../etc/passwd', '/abs/dir/x.pcap', '..', '.hidden', 'a/../../b.pcap', 'sp ace/ü.pcap', '<script>.pcap', 'C:\\caps\\x.pcap', ''];

  it.each(hostile)('%j stays inside the output folder', (path) => {
    const name = reportPath(path, 'json');
    expect(isReportPath(name)).toBe(true);
    expect(relative('/out', join('/out', name)).startsWith('..')).toBe(false);
  });

  it('keeps the end of the path readable', () => {
    expect(reportPath('captures/host1/dump.pcap0', 'json')).toMatch(/^files\/captures_host1_dump\.pcap0-[0-9a-f]{12}\.json$/);
  });

  it('differs for paths that read alike, also on case-insensitive disks', () => {
    const alike = ['a/b.pcap', 'a_b.pcap', 'a b.pcap', 'A_b.pcap', 'a?b.pcap'];
    const names = alike.map((p) => reportPath(p, 'json').toLowerCase());
    expect(new Set(names).size).toBe(alike.length);
  });

  it('depends on the path only', () => {
    expect(reportPath('x/y.pcap', 'json')).toBe(reportPath('x/y.pcap', 'json'));
  });

  it('merge accepts only names scan makes', () => {
    for (const bad of ['../x.json', 'files/../x.json', 'files/.x.json', 'other/x.json', 'files/a/b.json']) expect(isReportPath(bad)).toBe(false);
  });
});
