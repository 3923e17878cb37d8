import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { storableJson, storableText } from '../common/storable';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { isRefusedValue } from '../database/db-errors';
import { giveBack, takenBackTooOften } from '../database/release-claim';
import type { ChannelResult } from './channels/channel';
import { Notification } from './notification.entity';
import { NOTIFICATION_WORK } from './notification.work';
import {
  endNotification,
  GIVE_BACK_DELAY_MS,
  NotificationsRepository,
  releaseNotification,
} from './notifications.repository';
import { InjectWorkQueue } from '../work/work.providers';
import type { WorkQueue } from '../work/work-queue';
import type { RenderLimit } from './templates/template-engine';
import { FailureClass, nextStep } from '../work/retry-policy';

const LEASE_MS = NOTIFICATION_WORK.leaseMs;

/** Why a claim took a notification back (the "last" of a give-back that ends it). */
const SENDING_LEASE_RAN_OUT = 'its lease ran out (the worker sending it stopped or hung)';

export type Outcome =
  | { status: 'skipped'; reason: string }
  | {
      status: 'failed';
      error: string;
      text?: string | null;
      target?: string | null;
      result?: ChannelResult;
      /** Set when the template went over a render limit (a 422 for POST /notification-rules/{id}/test). */
      limit?: { kind: RenderLimit; message: string };
    }
  | { status: 'sent'; text: string; target: string; result: ChannelResult }
  /** A failure another send may fix (`retry`, or `retry-after` the provider's hint); NOTIFICATION_RETRY_SCHEDULE decides. */
  | { status: 'retry'; failure: FailureClass; text: string; target: string; result: ChannelResult };

function asJsonObject(response: unknown): object | null {
  if (response === undefined || response === null) return null;
  return typeof response === 'object' && !Array.isArray(response) ? response : { text: response };
}

const messageOf = (error: unknown): string => storableText(error instanceof Error ? error.message : String(error));

/**
 * The notifications table as the worker moves a notification along: claimed for one send with a lease,
 * recorded (`sent`, `skipped`, `failed`, or `queued` again for a retry), or given back after an unexpected
 * error. Text from outside (provider answers, error messages) is made storable before it is written.
 */
@Injectable()
export class NotificationRecorder {
  private readonly logger = new Logger(NotificationRecorder.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: NotificationsRepository,
    @InjectRepository(Notification) private readonly notifications: Repository<Notification>,
    @InjectWorkQueue(NOTIFICATION_WORK) private readonly queue: WorkQueue,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Takes a due notification for one send; null when it is not due or another worker holds it. A
   * notification whose lease ran out is taken back, and that counts as a give-back (`release_count`).
   */
  async claim(id: string): Promise<Notification | null> {
    const claimed = await this.repository.claim(id, LEASE_MS);
    return claimed ? this.notifications.findOneBy({ id }) : null;
  }

  /**
   * Ends a claimed notification `failed`, without sending it, when the claim took it back once too
   * often in a row (takenBackTooOften, release-claim.ts); undefined when it may be sent.
   */
  async endIfTakenBackTooOften(notification: Notification): Promise<Notification | null | undefined> {
    const error = takenBackTooOften(notification.releaseCount, SENDING_LEASE_RAN_OUT);
    if (error === null) return undefined;
    this.logger.error(`notification ${notification.id} failed: ${error}`);
    await this.notifications.update(
      { id: notification.id, status: 'sending' },
      { status: 'failed', error, nextAttemptAt: null },
    );
    return this.notifications.findOneBy({ id: notification.id });
  }

  /**
   * Records what a send came to. When PostgreSQL refuses the values even so, the notification ends
   * `failed` with that error rather than being given back to meet the same refusal again.
   */
  async record(notification: Notification, outcome: Outcome): Promise<Notification | null> {
    try {
      await this.write(notification, outcome);
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      const reason = `PostgreSQL refused to store the outcome (${outcome.status}): ${messageOf(error)}`;
      this.logger.error(`notification ${notification.id} failed: ${reason}`);
      await this.notifications.update(
        { id: notification.id },
        {
          status: 'failed',
          error: reason,
          attempts: notification.attempts + 1,
          nextAttemptAt: null,
          releaseCount: 0,
          renderedText: null,
          providerResponse: null,
        },
      );
    }
    return this.notifications.findOneBy({ id: notification.id });
  }

  /**
   * Gives a claimed notification back after an unexpected error (a lost database, a bug): due again in
   * a few seconds, or `failed` when this is its MAX_RELEASES-th give-back in a row (the rule of
   * release-claim.ts, shared with deliveries and inbound runs). Logged either way.
   */
  async giveBack(notification: Notification, error: unknown): Promise<null> {
    const { id } = notification;
    const ended = await giveBack(
      {
        what: `notification ${id}`,
        releasesBefore: notification.releaseCount,
        error,
        release: (releaseCount) => releaseNotification(this.dataSource, id, releaseCount),
        end: (releaseCount, reason) => endNotification(this.dataSource, id, releaseCount, reason),
      },
      this.logger,
    );
    if (ended) return null;
    const releases = notification.releaseCount + 1;
    const dueAt = new Date(Date.now() + GIVE_BACK_DELAY_MS);
    await this.queue.enqueue([{ id, run: notification.attempts, dueAt }], `release${releases}`);
    return null;
  }

  private async write(notification: Notification, outcome: Outcome): Promise<void> {
    const attempts = notification.attempts + (outcome.status === 'skipped' ? 0 : 1);
    const base = { attempts, nextAttemptAt: null as Date | null, releaseCount: 0 };
    const where = { id: notification.id };
    if (outcome.status === 'skipped') {
      await this.notifications.update(where, { ...base, status: 'skipped', skipReason: outcome.reason });
      return;
    }
    const provider = outcome.result
      ? {
          providerStatus: outcome.result.httpStatus,
          providerResponse: storableJson(asJsonObject(outcome.result.response)),
        }
      : {};
    const common = {
      ...base,
      ...provider,
      renderedText: storableText(outcome.text ?? null),
      target: storableText(outcome.target ?? null),
    };
    if (outcome.status === 'sent') {
      await this.notifications.update(where, { ...common, status: 'sent', error: null, sentAt: new Date() });
    } else if (outcome.status === 'retry') {
      await this.retryOrGiveUp(notification, outcome, common);
    } else {
      await this.notifications.update(where, { ...common, status: 'failed', error: storableText(outcome.error) });
    }
  }

  /**
   * After a send another one may fix: `queued` again on NOTIFICATION_RETRY_SCHEDULE (or after the
   * provider's hint), or `failed` when that was the last attempt.
   */
  private async retryOrGiveUp(
    notification: Notification,
    outcome: Extract<Outcome, { status: 'retry' }>,
    written: Partial<Notification> & { attempts: number },
  ): Promise<void> {
    const { attempts } = written;
    const where = { id: notification.id };
    const step = nextStep(NOTIFICATION_WORK.retryPolicy(this.config), { attempt: attempts, failure: outcome.failure });
    if (step.action === 'give-up') {
      const error = storableText(`gave up after ${attempts} attempts: ${outcome.result.error}`);
      await this.notifications.update(where, { ...written, status: 'failed', error });
      return;
    }
    const error = storableText(outcome.result.error);
    await this.notifications.update(where, { ...written, status: 'queued', error, nextAttemptAt: step.at });
    await this.queue.enqueue([{ id: notification.id, run: attempts, dueAt: step.at }]);
  }
}
