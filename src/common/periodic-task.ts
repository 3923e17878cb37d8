import { Logger } from '@nestjs/common';

/** Runs `task` every `intervalMs`, never two runs at once; failures are logged and the next run tries again. */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(firstDelayMs = this.intervalMs): void {
    const loop = (): void => {
      this.timer = setTimeout(() => void this.tick().finally(() => this.timer && loop()), this.intervalMs);
    };
    this.timer = setTimeout(() => void this.tick().finally(() => this.timer && loop()), firstDelayMs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One run now, unless one is already under way. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.task();
    } catch (error) {
      this.logger.warn(`${this.name} failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
