import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp-packet';
import type { ZeekEndpoint } from './endpoint';
import {
  addHistory, checkHistory, HIST_ACK, HIST_DATA, HIST_FIN, HIST_FIN_RST, HIST_MULTI_FLAG, HIST_RST, HIST_SYN,
  type ZeekHistory,
} from './history';

/**
 * The letters one segment earns (Zeek's update_history). `relSeq` is the segment's sequence number relative
 * to the sender's ISN; repeats of S/H, F and R count only when it moved.
 */
export function recordSegmentHistory(
  history: ZeekHistory,
  sender: ZeekEndpoint,
  isOrig: boolean,
  flags: number,
  relSeq: number,
  payloadLen: number,
): void {
  const syn = (flags & TCP_SYN) !== 0;
  const fin = (flags & TCP_FIN) !== 0;
  const rst = (flags & TCP_RST) !== 0;
  const controls = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);

  if (controls > 1) {
    if (fin && rst) checkHistory(history, HIST_FIN_RST, 'I', isOrig);
    else checkHistory(history, HIST_MULTI_FLAG, 'Q', isOrig);
  } else if (syn) {
    const code = (flags & TCP_ACK) !== 0 ? 'H' : 'S';
    if (checkHistory(history, HIST_SYN, code, isOrig) && relSeq !== sender.histLastSyn) addHistory(history, code, isOrig);
    sender.histLastSyn = relSeq;
  } else if (fin) {
    // A FIN's own sequence number comes after any data it carries.
    const finAt = relSeq + payloadLen;
    if (checkHistory(history, HIST_FIN, 'F', isOrig) && finAt !== sender.histLastFin) addHistory(history, 'F', isOrig);
    sender.histLastFin = finAt;
  } else if (rst) {
    if (checkHistory(history, HIST_RST, 'R', isOrig) && relSeq !== sender.histLastRst) addHistory(history, 'R', isOrig);
    sender.histLastRst = relSeq;
  } else if (payloadLen > 0) {
    checkHistory(history, HIST_DATA, 'D', isOrig);
  } else if ((flags & TCP_ACK) !== 0) {
    checkHistory(history, HIST_ACK, 'A', isOrig);
  }
}
