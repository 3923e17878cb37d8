import type { HelperDelegate, HelperOptions } from 'handlebars';

/** A template that does not compile, or that failed while rendering; the message is meant for the rule's author. */
export class TemplateError extends Error {
  override name = 'TemplateError';

  constructor(
    message: string,
    /** 1-based, when known. */
    readonly line?: number,
    /** 1-based, when known. */
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Which limit a render went over: the length of the message, or the work (loop iterations, time) of making it. */
export type RenderLimit = 'output' | 'work';

/** A render stopped at one of its {@link RenderLimits}: the same template and event would stop there again. */
export class TemplateLimitError extends TemplateError {
  override name = 'TemplateLimitError';

  constructor(
    readonly limit: RenderLimit,
    message: string,
  ) {
    super(message);
  }
}

/** What one render may cost. */
export interface RenderLimits {
  /** Characters (UTF-16 code units) of the rendered message, and of any block's output on the way. */
  maxOutputChars: number;
  /** `#each` iterations in one render, nested loops included (each turn of an inner loop counts). */
  maxIterations: number;
  /** Time one render may take, checked at every loop iteration, helper call and printed value. */
  maxRenderMs: number;
}

/**
 * The limits of every render. Telegram and WhatsApp take at most 4096 characters a message and Slack
 * ~40,000, so 64 Ki characters leave room; a message that needs 10,000 loop turns or 250 ms is no message.
 */
export const RENDER_LIMITS: Readonly<RenderLimits> = {
  maxOutputChars: 65_536,
  maxIterations: 10_000,
  maxRenderMs: 250,
};

/**
 * The cost of one render so far. Rendering is synchronous, so these checks are what keeps a costly template
 * (nested `#each` over a large array: n³ iterations) from holding the event loop: the render throws a
 * {@link TemplateLimitError} as soon as it goes over a limit, after bounded work.
 */
export class RenderBudget {
  private iterations = 0;
  private printed = 0;
  private readonly deadline: number;

  constructor(
    readonly limits: RenderLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.deadline = now() + limits.maxRenderMs;
  }

  /** One turn of a `#each` loop. */
  iteration(): void {
    this.iterations += 1;
    if (this.iterations > this.limits.maxIterations) {
      throw new TemplateLimitError(
        'work',
        `the template does too much work: more than ${this.limits.maxIterations} #each iterations in one message`,
      );
    }
    this.step();
  }

  /** One helper call or printed value: only the clock is checked. */
  step(): void {
    if (this.now() > this.deadline) {
      throw new TemplateLimitError(
        'work',
        `the template does too much work: rendering took more than ${this.limits.maxRenderMs} ms`,
      );
    }
  }

  /** A value of `length` characters about to be printed: counted against the output limit, render-wide. */
  printing(length: number): void {
    this.printed += length;
    this.checkOutput(this.printed);
  }

  /** Throws when a message (or a block's output) of `length` characters is over the output limit. */
  checkOutput(length: number): void {
    if (length > this.limits.maxOutputChars) {
      throw new TemplateLimitError(
        'output',
        `the rendered message is longer than ${this.limits.maxOutputChars} characters`,
      );
    }
  }
}

/**
 * Handlebars' `each`, counting every turn against `budget` and checking the loop's output as it grows, so a loop
 * stops at the first turn over a limit instead of after the last one.
 */
export function budgetedEach(builtin: HelperDelegate, budget: RenderBudget): HelperDelegate {
  return function (this: unknown, context: unknown, options: HelperOptions): unknown {
    const { fn } = options;
    let length = 0;
    const turn = (value: unknown, frame?: Parameters<typeof fn>[1]): string => {
      budget.iteration();
      const text = fn(value, frame);
      length += text.length;
      budget.checkOutput(length);
      return text;
    };
    return builtin.call(this, context, { ...options, fn: turn });
  };
}
