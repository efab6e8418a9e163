// A consumer process for the crash test: a NATS source whose sink appends event ids to a file and
// fsyncs before resolving (its "store"). The test kills it with SIGKILL mid-stream.
import fs from 'node:fs';
import { FeedManager } from '../../src/main/feed/manager';

const [out, dataDir, url] = process.argv.slice(2);
const fd = fs.openSync(out, 'a');
const feed = new FeedManager({
  dataDir,
  sink: async (events) => {
    fs.writeSync(fd, events.map((e) => e.id).join('\n') + '\n');
    fs.fsyncSync(fd);
    await new Promise((r) => setTimeout(r, 3));
  },
});
const configs = JSON.parse(
  fs.existsSync(`${dataDir}/sources.json`)
    ? fs.readFileSync(`${dataDir}/sources.json`, 'utf8')
    : '[]',
);
if (configs.length) await feed.load();
else {
  await feed.save({
    name: 'crash',
    kind: 'nats',
    enabled: true,
    options: {
      url,
      stream: 'CRASH',
      subject: 'crash.events',
      durable: 'crash',
      batch: 200,
      ackWaitSec: 2,
    },
  });
}
process.stdout.write('ready\n');
