/** File names that rotating capture tools give the files of one capture. Names only propose a set;
 * capture-sets.ts checks the contents (link types, time ranges) before merging anything. */

/** Stands in for the part of a name that changes from file to file of a rotation. */
const VARYING = '\u0000';

// -z gzip (tcpdump) or a later gzip: dump.pcap1.gz belongs with dump.pcap2.
const GZIP_SUFFIX = /\.gz$/i;
// dumpcap -b: name_00001_20261124101500.pcapng (file number, then the start time).
const DUMPCAP = /_\d{5,}_\d{14}(?=\.[^.]*$|$)/;
// tcpdump -C (and -W): dump.pcap, dump.pcap1, dump.pcap2… or dump.pcap00, dump.pcap01…
const TCPDUMP_COUNTER = /(\.(?:pcap|pcapng|cap|dmp))\d+$/i;
// tcpdump -G with strftime in -w: a date of 8+ digits, optionally a time (2026-11-24_10-15-00, 20261124101500…).
const DATE_TIME = /(?<!\d)(?:19|20)\d\d([-_.]?)\d\d\1\d\d(?:[-_T.]?\d\d(?:[-_:.]?\d\d){1,2})?(?!\d)/g;
// …or %s: epoch seconds (2001–2033).
const EPOCH_SECONDS = /(?<!\d)1\d{9}(?!\d)/g;

/** The name with its rotating parts replaced: files of one rotation share it, and a name that is
 * not part of a rotation keeps itself. */
export function rotationShape(name: string): string {
  let shape = name.replace(GZIP_SUFFIX, '');
  if (DUMPCAP.test(shape)) shape = shape.replace(DUMPCAP, `_${VARYING}`);
  else shape = shape.replace(TCPDUMP_COUNTER, '$1');
  return shape.replace(DATE_TIME, VARYING).replace(EPOCH_SECONDS, VARYING);
}
