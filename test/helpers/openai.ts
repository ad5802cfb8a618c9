import type { Config } from '../../src/config.ts';
import { type Emulator, type EmulatorOptions, startEmulator } from '../emulator/emulator.ts';
import { startTestServer, type TestServer } from './server.ts';

export interface OpenAIStack {
  emulator: Emulator;
  server: TestServer;
  stop(): Promise<void>;
}

/** The OpenAI emulator plus a real datastory server whose `openai` analyst points at it. */
export async function startOpenAIStack(
  overrides: Partial<Config> = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<OpenAIStack> {
  const emulator = await startEmulator(emulatorOptions);
  try {
    const server = await startTestServer({
      analyst: 'openai',
      openai: { apiKey: 'sk-emulator', baseUrl: emulator.baseUrl, model: 'gpt-4o', containerMemory: '1g' },
      ...overrides,
    });
    return {
      emulator,
      server,
      async stop() {
        await server.stop();
        await emulator.close();
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
