import { InitialSchema1716940800000 } from './0001-initial-schema.migration';
import { StudentChat1717000000000 } from './0002-student-chat.migration';
import { EventInbox1717200000301 } from './0003-event-inbox.migration';
import { StartUpAndInboxKeys1718400000000 } from './0004-start-up-and-inbox-keys.migration';
import { CampaignYears1718500000000 } from './0005-campaign-years.migration';
import { MaterialWaivers1718600000000 } from './0006-material-waivers.migration';
import { ExamPhotos1718600000100 } from './0006b-exam-photos.migration';
import { ExamSittings1718600000200 } from './0006c-exam-sittings.migration';
import { SendSlots1718700000000 } from './0007-send-slots.migration';

// Listed explicitly (no globs) so bundlers, tsx and vitest all find the same set, in order.
export const migrations = [
  InitialSchema1716940800000,
  StudentChat1717000000000,
  EventInbox1717200000301,
  StartUpAndInboxKeys1718400000000,
  CampaignYears1718500000000,
  MaterialWaivers1718600000000,
  ExamPhotos1718600000100,
  ExamSittings1718600000200,
  SendSlots1718700000000,
];
