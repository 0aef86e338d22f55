/**
 * Shapes of the staff API's answers, taken from the types generated from the server's OpenAPI
 * document: nothing typed by hand, so a change of the contract is a type error here.
 */
import type { operations } from '../../../../shared/api/openapi';

type Answer<Operation extends keyof operations, Status extends number = 200> = operations[Operation]['responses'] extends {
  [S in Status]: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
type Body<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type StaffSession = Answer<'getStaffSession'>;
export type StaffAccount = StaffSession['account'];
export type Memberships = Answer<'listStaffMemberships'>;
export type Membership = Memberships['memberships'][number];
export type OpenedLink = Answer<'openStaffLink'>;
export type Enrolled = Answer<'enrolStaffAccount', 201>;
export type StaffMember = Answer<'listStaffMembers'>[number];
export type Role = StaffMember['roles'][number];
export type Invited = Answer<'inviteStaffMember', 201>;
export type IssuedLink = Answer<'issueStaffMemberLink', 201>;
export type MunicipalityRecord = Answer<'getStaffMunicipality'>;
export type NewMunicipality = Body<'createMunicipality'>;
export type SettingsAnswer = Answer<'getMunicipalitySettings'>;
export type Settings = SettingsAnswer['settings'];
export type VaccineRule = Settings['vaccines'][string];
export type Wave = Settings['waitingRoom']['waves'][number];
export type AuditPage = Answer<'searchAuditLog'>;
export type AuditEntry = AuditPage['entries'][number];
export type AuditQuery = NonNullable<operations['searchAuditLog']['parameters']['query']>;
export type QueueStats = Answer<'getMunicipalityQueueStats'>;
export type QueueStat = QueueStats['queues'][number];
export type Dashboard = Answer<'getDashboard'>;
export type DayFill = Dashboard['days'][number];
export type ResidentImport = Answer<'getResidentImport'>;
export type ImportUpload = Answer<'importResidents', 201>;
export type ImportMissing = Answer<'listResidentImportMissing'>;
export type CrossTab = Answer<'getBookingCrossTab'>;
export type FailedJobsPage = Answer<'listFailedJobs'>;
export type FailedJob = FailedJobsPage['jobs'][number];

export const ROLES = ['administrator', 'staff', 'operator', 'venue', 'viewer'] as const satisfies readonly Role[];
export type CallerMatches = Answer<'searchCallers'>;
export type CallerRecord = Answer<'getCaller'>;
export type CallerReservation = CallerRecord['reservations'][number];
export type PhoneBooked = Answer<'bookForCaller', 201>;
export type ReadBackPart = PhoneBooked['readBack'][number];
export type OperatorSlot = Answer<'listSlotsForOperator'>[number];
export type CallScripts = Answer<'getCallScripts'>;
export type PublicVenue = Answer<'listVenues'>[number];
export type StaffVenue = Answer<'getStaffVenue'>;
export type VenueInput = Body<'createVenue'>;
export type TemplateInput = Body<'previewSlotTemplate'>;
export type TemplatePreview = Answer<'previewSlotTemplate'>;
export type Generated = Answer<'createSlotsFromTemplate', 201>;
export type ScheduleDay = Answer<'getScheduleDay'>;
export type DaySlot = ScheduleDay['slots'][number];
export type DayPeople = Answer<'listScheduleDayPeople'>;
export type CloseReport = Answer<'closeScheduleDay'>;
export type ReopenReport = Answer<'reopenScheduleDay'>;
export type CheckInDay = Answer<'getCheckInDay'>;
export type CheckInEntry = CheckInDay['entries'][number];
export type NotificationUsage = Answer<'getNotificationUsage'>;
export type NotificationUsageTotal = NotificationUsage['totals'][number];
export type NotificationFailuresPage = Answer<'listNotificationFailures'>;
export type NotificationFailure = NotificationFailuresPage['items'][number];
