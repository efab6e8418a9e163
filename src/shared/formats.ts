// The log formats Haechi's parsers read, selectable wherever a source or command takes a format.
// Shared so the Sources form and the Node side name the same list.

export const FORMATS = [
  'auto',
  'json',
  'suricata-eve',
  'zeek',
  'syslog',
  'cef',
  'access-log',
  'apache-error',
  'nginx-error',
  'text',
] as const;
export type FormatName = (typeof FORMATS)[number];
