import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { processJobs } from '../common/queue-jobs';
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
    processJobs(
      this.queue,
      DELIVER_JOB,
      this.config.deliveryConcurrency,
      (job) => this.dispatcher.run(job.deliveryId),
      this.logger,
    );
  }
}
