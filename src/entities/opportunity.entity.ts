import { Entity, Index } from 'typeorm';
import { Directive, ObjectType } from 'type-graphql';
import { CrmRecord } from './crm-record.base.js';
import { MirrorField } from './mirror-column.js';
import { anyListSchema } from './list-item.values.js';

@Entity({ name: 'opportunities' })
// Covers opportunityStats(groupBy: [STATUS]) with sums/averages/extremes of the value and the
// win probability: an index-only read, 9 ms instead of 25 ms on 25,000 rows (BENCHMARKS.md).
@Index(['deletedAt', 'status', 'monetaryValue', 'winProbability'])
// A company's and a person's live opportunities in id order, from the index alone (see crm-record.base.ts).
@Index(['companyId', 'deletedAt'])
@Index(['primaryContactId', 'deletedAt'])
@ObjectType({ description: 'A sales opportunity (deal) in the CRM.' })
@Directive('@key(fields: "id")')
export class Opportunity extends CrmRecord {
  @MirrorField('id') companyId!: string | null;

  @MirrorField('string') companyName!: string | null;

  @MirrorField('id', { description: 'The primary contact (a person).' })
  primaryContactId!: string | null;

  @MirrorField('string', { description: 'Open, Won, Lost or Abandoned' }) status!: string | null;
  @MirrorField('string', { description: 'None, Low, Medium or High' }) priority!: string | null;
  @MirrorField('decimal') monetaryValue!: number | null;
  @MirrorField('string', { description: 'Currency code' }) monetaryUnit!: string | null;
  @MirrorField('integer', { description: '0 to 100' }) winProbability!: number | null;

  @MirrorField('date', { description: 'close_date parsed with CLOSE_DATE_FORMAT; null when unparseable (see closeDateRaw).' })
  closeDate!: string | null;

  @MirrorField('string', { upstream: 'close_date', description: 'close_date exactly as the CRM sent it.' })
  closeDateRaw!: string | null;

  @MirrorField('id') pipelineId!: string | null;

  @Index()
  @MirrorField('id') pipelineStageId!: string | null;

  @MirrorField('id') customerSourceId!: string | null;
  @MirrorField('id') lossReasonId!: string | null;
  @MirrorField('integer') interactionCount!: number | null;
  @MirrorField('timestamp') dateStageChanged!: Date | null;
  @MirrorField('timestamp') dateLastContacted!: Date | null;
  @MirrorField('json', { schema: anyListSchema }) leadsConvertedFrom!: object[] | null;
  @MirrorField('timestamp') dateLeadCreated!: Date | null;
}
