// Baseline: nodemailer's pooled SMTP transport (the engine of Mailtrain) sending the same message.
// usage: node nodemailer-send.mjs PORT CONNECTIONS COUNT MESSAGE.eml
import { createRequire } from 'node:module';
import fs from 'node:fs';
const require = createRequire(new URL('./tools/node/', import.meta.url));
const nodemailer = require('nodemailer');

const [port, connections, count, file] = process.argv.slice(2);
const raw = fs.readFileSync(file);
const transport = nodemailer.createTransport({
  host: '127.0.0.1', port: Number(port), secure: false, ignoreTLS: true,
  pool: true, maxConnections: Number(connections), maxMessages: Infinity,
});
const start = process.hrtime.bigint();
const sends = [];
for (let i = 0; i < Number(count); i++) {
  sends.push(transport.sendMail({ envelope: { from: 'papers@localhost', to: `reader${i}@example.org` }, raw }));
}
await Promise.all(sends);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
transport.close();
console.log(JSON.stringify({ seconds, peakRssKb: Math.round(process.resourceUsage().maxRSS) }));
