import { ApiProperty } from '@nestjs/swagger';

export class IngestAcceptedDto {
  /** The stored inbound event (the first one, for a duplicate). @example "in_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  webhook_event_id: string;
  @ApiProperty({ enum: ['accepted', 'duplicate'], example: 'accepted' })
  status: 'accepted' | 'duplicate';
}
