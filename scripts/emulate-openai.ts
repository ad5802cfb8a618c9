// Offline stand-in for OpenAI's Containers + Responses APIs: `npm run emulate:openai -- --port 8788`,
// then start datastory with OPENAI_BASE_URL=http://127.0.0.1:8788/v1 OPENAI_API_KEY=anything DATASTORY_ANALYST=openai.
import { parseArgs } from 'node:util';
import { startEmulator } from '../test/emulator/emulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8788' },
    host: { type: 'string', default: '127.0.0.1' },
    'log-level': { type: 'string', default: 'info' },
  },
});
const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  logLevel: values['log-level'],
});
console.log(`OpenAI emulator listening: OPENAI_BASE_URL=http://${values.host}:${emulator.port}/v1`);
console.log(
  'Fault switches: POST /_emulator/faults {"kind":"rate_limit","retryAfterSeconds":5} | server_error | hang | malformed | empty | expire_container;',
);
console.log(
  '  POST /_emulator/expire-all, POST /_emulator/containers/<id>/expire, GET /_emulator/state, DELETE /_emulator/faults',
);
const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
