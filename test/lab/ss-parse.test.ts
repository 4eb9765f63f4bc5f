import { parseSs } from './ss-parse';

describe('parseSs (ss -taneH)', () => {
  test('listeners, IPv4, IPv6 and IPv4-mapped sockets, with their cookies', () => {
    const text = [
      'LISTEN     3      2      198.18.0.1:8880       0.0.0.0:*     ino:129394 sk:57 cgroup:unreachable:1 <->',
      'CLOSE-WAIT 1      0      198.18.0.1:8880    198.18.0.2:49272 ino:0 sk:5a cgroup:unreachable:1 <->',
      'TIME-WAIT  0      0      [2001:db8::2]:44574 [2001:db8::1]:8881 timer:(timewait,59sec,0) ino:0 sk:5b',
      'ESTAB      0      0      [::ffff:198.18.0.1]:8882 [::ffff:198.18.0.2]:40000 ino:7 sk:5c',
      '',
    ].join('\n');
    expect(parseSs(text)).toEqual([
      { state: 'LISTEN', recvQ: 3, sendQ: 2, local: '198.18.0.1:8880', peer: '0.0.0.0:*', cookie: '57' },
      { state: 'CLOSE-WAIT', recvQ: 1, sendQ: 0, local: '198.18.0.1:8880', peer: '198.18.0.2:49272', cookie: '5a' },
      { state: 'TIME-WAIT', recvQ: 0, sendQ: 0, local: '[2001:db8::2]:44574', peer: '[2001:db8::1]:8881', cookie: '5b' },
      { state: 'ESTAB', recvQ: 0, sendQ: 0, local: '198.18.0.1:8882', peer: '198.18.0.2:40000', cookie: '5c' },
    ]);
  });
});
