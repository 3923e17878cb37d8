import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DELIVER_JOB, DELIVERY_QUEUE, DeliverJob } from './delivery.queue';
import { Dispatcher } from './dispatcher.service';

/** Processes the delivery queue (APP_ROLE worker or all) with DELIVERY_CONCURRENCY attempts at once. */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger(DeliveryWorker.name);

  constructor(
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliverJob>,
    private readonly dispatcher: Dispatcher,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // process() settles only when the queue closes; a rejection then (connection closed) is expected
    this.queue
      .process(DELIVER_JOB, this.config.deliveryConcurrency, (job: Job<DeliverJob>) => this.handle(job))
      .catch((error: Error) => this.logger.debug(`delivery processing stopped: ${error.message}`));
    this.logger.log(`processing ${DELIVERY_QUEUE} with concurrency ${this.config.deliveryConcurrency}`);
  }

  private async handle(job: Job<DeliverJob>): Promise<void> {
    await this.dispatcher.run(job.data.deliveryId);
  }
}
