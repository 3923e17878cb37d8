import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import type { ListNotificationsQuery } from './dto/notification-rule.dto';
import { Notification } from './notification.entity';

/** The notification history (docs/api.md). */
@Injectable()
export class NotificationsService {
  constructor(@InjectRepository(Notification) private readonly notifications: Repository<Notification>) {}

  async list(
    tenantId: string,
    q: Omit<ListNotificationsQuery, 'limit' | 'offset'>,
    limit: number,
    offset: number,
  ): Promise<{ items: Notification[]; total: number }> {
    const query = this.notifications
      .createQueryBuilder('n')
      .where('n.tenant_id = :tenantId', { tenantId })
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .skip(offset)
      .take(limit);
    const filters: [keyof typeof q, string][] = [
      ['status', 'status'],
      ['rule_id', 'rule_id'],
      ['event_id', 'event_id'],
      ['event_type', 'event_type'],
      ['channel', 'channel'],
      ['skip_reason', 'skip_reason'],
    ];
    for (const [key, column] of filters) {
      if (q[key] !== undefined) query.andWhere(`n.${column} = :${key}`, { [key]: q[key] });
    }
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  async get(tenantId: string, id: string): Promise<Notification> {
    const notification = await this.notifications.findOneBy({ id, tenantId });
    if (!notification) throw ApiError.notFound('Notification', id);
    return notification;
  }
}
