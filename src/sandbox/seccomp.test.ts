import { describe, expect, it } from 'vitest';
import { seccompFilter } from './seccomp.ts';

// The filter's behaviour is proven inside the real sandbox (test/sandbox-isolation.test.ts); here, its shape.
describe('the seccomp filter', () => {
  it('is a classic BPF program that first checks the architecture', () => {
    const filter = seccompFilter('x64')!;
    expect(filter.length % 8).toBe(0);
    expect(filter.readUInt16LE(0)).toBe(0x20); // load seccomp_data.arch …
    expect(filter.readUInt32LE(4)).toBe(4);
    expect(filter.readUInt32LE(12)).toBe(0xc000003e); // … and compare it with AUDIT_ARCH_X86_64
    const last = filter.length - 8;
    expect(filter.readUInt16LE(last)).toBe(0x06); // ends with a return: EPERM for everything denied
    expect(filter.readUInt32LE(last + 4)).toBe(0x00050001);
  });

  it('has a table for arm64, and none for architectures we have not checked', () => {
    expect(seccompFilter('arm64')?.readUInt32LE(12)).toBe(0xc00000b7);
    expect(seccompFilter('riscv64')).toBeNull();
  });
});
