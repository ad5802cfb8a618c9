import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { devFile } from './helpers/dev-data.ts';
import { postJson, startTestServer, uploadFile } from './helpers/server.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sessions survive the expiry of their container', () => {
  it('recovers transparently when the container expired between upload, analyze and refine', async () => {
    // A TTL of 0.005 minutes (300 ms): the user "took 25 minutes to choose", compressed.
    const server = await startTestServer({ workspaceTtlMs: 300 });
    try {
      const { body: upload } = await uploadFile(server.baseUrl, devFile('iowa-electricity'));
      const created = server.logs.find((l) => l.event === 'container.created' && l.sessionId === upload.containerId)!;
      await sleep(400);
      const analyzed = await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
      expect(analyzed.status).toBe(200);
      await sleep(400);
      const refined = await postJson(server.baseUrl, '/api/refine', {
        containerId: upload.containerId,
        selectedStoryTitle: analyzed.body[0].title,
      });
      expect(refined.status).toBe(200);
      expect(refined.body.containerId).toBe(upload.containerId);
      const expired = server.logs.filter((l) => l.event === 'container.expired' && l.sessionId === upload.containerId);
      const recovered = server.logs.filter(
        (l) => l.event === 'container.recovered' && l.sessionId === upload.containerId,
      );
      expect(expired.length).toBe(2);
      expect(recovered.length).toBe(2);
      expect(expired[0]!.containerId).toBe(created.containerId);
      expect(recovered[0]!.previousContainerId).toBe(created.containerId);
      expect(recovered[0]!.containerId).not.toBe(created.containerId);
      expect(recovered[1]!.previousContainerId).toBe(recovered[0]!.containerId);
    } finally {
      await server.stop();
    }
  });

  it('answers a clear 5xx that says to re-upload when recovery itself fails', async () => {
    const server = await startTestServer({ workspaceTtlMs: 200 });
    try {
      const { body: upload } = await uploadFile(server.baseUrl, devFile('penguins'));
      fs.rmSync(path.join(server.dataDir, 'uploads', `${upload.containerId}.csv`));
      await sleep(300);
      const response = await postJson(server.baseUrl, '/api/analyze', { containerId: upload.containerId });
      expect(response.status).toBe(500);
      expect(response.body.error.message).toMatch(/[Uu]pload the file again/);
      expect(server.logs.some((l) => l.event === 'container.recovery_failed')).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
