import { afterEach, describe, expect, it, vi } from 'vitest';
import { LimiterEvents, limiterEventNames } from './limiter-events.js';

const started = { key: 'alice', waitMs: 0, running: 1, queued: 0 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('LimiterEvents', () => {
  it('names the four events', () => {
    expect(limiterEventNames).toEqual(['queued', 'started', 'settled', 'rejected']);
  });

  it('calls the listeners of an event, in the order they were added', () => {
    const events = new LimiterEvents();
    const calls: string[] = [];
    events.on('started', () => calls.push('first'));
    events.on('started', () => calls.push('second'));
    events.on('queued', () => calls.push('other event'));
    events.emit('started', started);
    expect(calls).toEqual(['first', 'second']);
  });

  it('passes the event to each listener', () => {
    const events = new LimiterEvents();
    const listener = vi.fn();
    events.on('started', listener);
    events.emit('started', started);
    expect(listener).toHaveBeenCalledWith(started);
  });

  it('does not call a listener added during an emit until the next one', () => {
    const events = new LimiterEvents();
    const late = vi.fn();
    events.on('started', () => events.on('started', late));
    events.emit('started', started);
    expect(late).not.toHaveBeenCalled();
  });

  it('turns a throwing listener into a warning and goes on', () => {
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const events = new LimiterEvents();
    const next = vi.fn();
    events.on('settled', () => {
      throw 'not even an Error';
    });
    events.on('settled', next);
    events.emit('settled', { ...started, outcome: 'success', runMs: 1 });
    expect(next).toHaveBeenCalledTimes(1);
    expect(emitWarning.mock.calls[0]?.[0]).toMatchObject({
      code: 'LIMITER_LISTENER_FAILED',
      message: "a 'settled' listener threw: not even an Error",
      cause: 'not even an Error',
    });
  });

  it('rejects a listener that is not a function with LIMITER_INVALID_ARGUMENT', () => {
    const events = new LimiterEvents();
    expect(() => events.on('started', null as unknown as () => void)).toThrowError(
      expect.objectContaining({
        code: 'LIMITER_INVALID_ARGUMENT',
        message: 'a listener must be a function, got null',
      }),
    );
  });
});
