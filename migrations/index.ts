// Every migration, in order. A new migration file is added here too, so the app, the CLI and the tests
// run the same list whether the code is compiled or transformed on the fly.
import { Baseline1763800000000 } from './1763800000000-Baseline';
import { IdentityAndReferenceData1763800001000 } from './1763800001000-IdentityAndReferenceData';
import { AuditEvents1763800002000 } from './1763800002000-AuditEvents';
import { CasesPersonsRequests1763800004000 } from './1763800004000-CasesPersonsRequests';
import { BlacklistScreening1763800005000 } from './1763800005000-BlacklistScreening';
import { NotificationsAndJobs1763800008000 } from './1763800008000-NotificationsAndJobs';
import { AssetFreezes1763800006000 } from './1763800006000-AssetFreezes';
import { AuditChain1763800003000 } from './1763800003000-AuditChain';
import { FrameworkDueHours1763800009000 } from './1763800009000-FrameworkDueHours';
import { ArrestsRepatriation1763800007000 } from './1763800007000-ArrestsRepatriation';
import { RequestTargetIndex1763800010000 } from './1763800010000-RequestTargetIndex';
import { RequestStatsRollup1763800011000 } from './1763800011000-RequestStatsRollup';
import { RebuildScreeningKeys1763800012000 } from './1763800012000-RebuildScreeningKeys';
import { ScreeningLookupIndexes1763800013000 } from './1763800013000-ScreeningLookupIndexes';
import { TypoTolerantScreeningKeys1763800014000 } from './1763800014000-TypoTolerantScreeningKeys';
import { BlacklistScreeningProfile1763800015000 } from './1763800015000-BlacklistScreeningProfile';
import { SharingProvenance1763800016000 } from './1763800016000-SharingProvenance';
import { BlacklistEntrySnapshot1763800017000 } from './1763800017000-BlacklistEntrySnapshot';
import { StatsVisibilityIndexes1763800018000 } from './1763800018000-StatsVisibilityIndexes';
import { NationalityAnyCountry1763800019000 } from './1763800019000-NationalityAnyCountry';
import { AuditEventSalt1763800025000 } from './1763800025000-AuditEventSalt';
import { AccountCreator1763800026000 } from './1763800026000-AccountCreator';
import { PersonKeptCopies1763800028000 } from './1763800028000-PersonKeptCopies';
import { RepatriationOneOpenPerArrest1763800029000 } from './1763800029000-RepatriationOneOpenPerArrest';
import { RequestReferencesAtApprove1763800030000 } from './1763800030000-RequestReferencesAtApprove';
import { CaseShareReferences1763800040000 } from './1763800040000-CaseShareReferences';
import { SharedLoginThrottle1763800041000 } from './1763800041000-SharedLoginThrottle';
import { RegionalScreeningKeys1763800042000 } from './1763800042000-RegionalScreeningKeys';
import { FrameworkMembershipDates1763800050000 } from './1763800050000-FrameworkMembershipDates';
import { RequestDispatch1763800051000 } from './1763800051000-RequestDispatch';
import { RoleChanges1763800020000 } from './1763800020000-RoleChanges';
import { RuntimeRole1763800021000 } from './1763800021000-RuntimeRole';
import { Attachments1763800024000 } from './1763800024000-Attachments';
import { RescreeningJobs1763800022000 } from './1763800022000-RescreeningJobs';
import { RebuildScreeningKeys1763800023000 } from './1763800023000-RebuildScreeningKeys';
import { IdentifierIndex1763800070000 } from './1763800070000-IdentifierIndex';
import { IdentifierChecks1763800071000 } from './1763800071000-IdentifierChecks';
import { IdentifierCorrelations1763800080000 } from './1763800080000-IdentifierCorrelations';
import { ArrestShareCorrelations1763800081000 } from './1763800081000-ArrestShareCorrelations';
import { FamilyTypoScreeningKeys1763800100000 } from './1763800100000-FamilyTypoScreeningKeys';
import { GivenNameShapeScreeningKeys1763800600000 } from './1763800600000-GivenNameShapeScreeningKeys';
import { ScreeningProfileRetrievalForms1763800110000 } from './1763800110000-ScreeningProfileRetrievalForms';
import { DispatchAttachmentGroups1763800140000 } from './1763800140000-DispatchAttachmentGroups';
import { CallerWritePosition1763800160000 } from './1763800160000-CallerWritePosition';
import { DraftCreateWrites1763800180000 } from './1763800180000-DraftCreateWrites';
import { ClearedCandidatesIndex1763800190000 } from './1763800190000-ClearedCandidatesIndex';
import { StatsTargetSideBySending1763800200000 } from './1763800200000-StatsTargetSideBySending';
import { RetrievalEditSimilarity1763800210000 } from './1763800210000-RetrievalEditSimilarity';
import { ScreeningAlertProposerTold1763800220000 } from './1763800220000-ScreeningAlertProposerTold';
import { FileProvenance1763800400000 } from './1763800400000-FileProvenance';
import { RepatriationOneOpenPerSide1763800500000 } from './1763800500000-RepatriationOneOpenPerSide';
import { KeptCopyOnward1763800650000 } from './1763800650000-KeptCopyOnward';
import { WithheldCorrelations1763800660000 } from './1763800660000-WithheldCorrelations';
import { AmendmentProposalQueue1763800800000 } from './1763800800000-AmendmentProposalQueue';
import { RefoldReceivedIdentifierKeys1763800810000 } from './1763800810000-RefoldReceivedIdentifierKeys';
import { CaseContentUpdatedAt1763800820000 } from './1763800820000-CaseContentUpdatedAt';
import { PersonReturns1763800830000 } from './1763800830000-PersonReturns';
import { CustodyStepsTold1763800840000 } from './1763800840000-CustodyStepsTold';
import { CorrelateOnPersonReturn1763800860000 } from './1763800860000-CorrelateOnPersonReturn';
import { FaithfulProvenanceKeys1763800870000 } from './1763800870000-FaithfulProvenanceKeys';
import { CorrelateNamedPersonsOnReturn1763800880000 } from './1763800880000-CorrelateNamedPersonsOnReturn';
import { NoSurrogateIdentifierKeys1763800890000 } from './1763800890000-NoSurrogateIdentifierKeys';
import { BirthYearShapeScreeningKeys1763801000000 } from './1763801000000-BirthYearShapeScreeningKeys';
import { KeptCopyIdentifiers1763801030000 } from './1763801030000-KeptCopyIdentifiers';
import { CandidatesWithoutEntryLocks1763801040000 } from './1763801040000-CandidatesWithoutEntryLocks';
import { CandidateIdsBesideTheirScreening1763801041000 } from './1763801041000-CandidateIdsBesideTheirScreening';
import { ReleaseGrantCovers1763801050000 } from './1763801050000-ReleaseGrantCovers';
import { PasswordResetFourEyes1763801060000 } from './1763801060000-PasswordResetFourEyes';
import { ArrestFileWithdrawalTold1763801070000 } from './1763801070000-ArrestFileWithdrawalTold';
import { DropUnreadArrestReceipts1763801110000 } from './1763801110000-DropUnreadArrestReceipts';
import { DropGapTextArrestReceipts1763801120000 } from './1763801120000-DropGapTextArrestReceipts';
import { DropSecondArrestShareReceipts1763801130000 } from './1763801130000-DropSecondArrestShareReceipts';
import { RecordReceiptsOfTextsSharedUnweighed1763801140000 } from './1763801140000-RecordReceiptsOfTextsSharedUnweighed';
import { AuditEventNamedRecords1763801150000 } from './1763801150000-AuditEventNamedRecords';
import { GrantNumberKeys1763801160000 } from './1763801160000-GrantNumberKeys';
import { FileReceivedNumbers1763801170000 } from './1763801170000-FileReceivedNumbers';
import { AttachmentVersionSameParentType1763801180000 } from './1763801180000-AttachmentVersionSameParentType';
import { SignInAddresses1763801190000 } from './1763801190000-SignInAddresses';
import { WebhookAttemptLease1763801200000 } from './1763801200000-WebhookAttemptLease';
import { DigitsReadAsLettersKeys1763801210000 } from './1763801210000-DigitsReadAsLettersKeys';
import { WadeGilesSurnameKeys1763801220000 } from './1763801220000-WadeGilesSurnameKeys';
import { CantoneseReadingKeys1763801230000 } from './1763801230000-CantoneseReadingKeys';
import { CountriesCooperateFunction1763801240000 } from './1763801240000-CountriesCooperateFunction';
import { CandidateEntryIdentity1763801250000 } from './1763801250000-CandidateEntryIdentity';
import { BlacklistEntryExtension1763801260000 } from './1763801260000-BlacklistEntryExtension';
import { ArrestCorrections1763801270000 } from './1763801270000-ArrestCorrections';
import { RequestDraftEditors1763801280000 } from './1763801280000-RequestDraftEditors';
import { UndecidedCandidatesIndex1763801320000 } from './1763801320000-UndecidedCandidatesIndex';
import { PersonAccounts1763801330000 } from './1763801330000-PersonAccounts';
import { UserMfa1763801350000 } from './1763801350000-UserMfa';
import { DraftBlacklistEntriesTakenOff1763801360000 } from './1763801360000-DraftBlacklistEntriesTakenOff';
import { AuditNamedTargetsTakenOff1763801370000 } from './1763801370000-AuditNamedTargetsTakenOff';
import { AuditNamedArrestsOfDraftEdits1763801380000 } from './1763801380000-AuditNamedArrestsOfDraftEdits';
import { FilePhoneNumbers1763801390000 } from './1763801390000-FilePhoneNumbers';
import { FileOwnNumbers1763801400000 } from './1763801400000-FileOwnNumbers';
import { FileOwnNumbersRead1763801410000 } from './1763801410000-FileOwnNumbersRead';
import { MfaEnrolmentPass1763801420000 } from './1763801420000-MfaEnrolmentPass';
import { PasswordSetBy1763801430000 } from './1763801430000-PasswordSetBy';
import { MfaResetBy1763801440000 } from './1763801440000-MfaResetBy';

export const allMigrations = [
  Baseline1763800000000,
  IdentityAndReferenceData1763800001000,
  AuditEvents1763800002000,
  AuditChain1763800003000,
  CasesPersonsRequests1763800004000,
  BlacklistScreening1763800005000,
  AssetFreezes1763800006000,
  ArrestsRepatriation1763800007000,
  NotificationsAndJobs1763800008000,
  FrameworkDueHours1763800009000,
  RequestTargetIndex1763800010000,
  RequestStatsRollup1763800011000,
  RebuildScreeningKeys1763800012000,
  ScreeningLookupIndexes1763800013000,
  TypoTolerantScreeningKeys1763800014000,
  BlacklistScreeningProfile1763800015000,
  SharingProvenance1763800016000,
  BlacklistEntrySnapshot1763800017000,
  StatsVisibilityIndexes1763800018000,
  NationalityAnyCountry1763800019000,
  RoleChanges1763800020000,
  RuntimeRole1763800021000,
  RescreeningJobs1763800022000,
  RebuildScreeningKeys1763800023000,
  Attachments1763800024000,
  AuditEventSalt1763800025000,
  AccountCreator1763800026000,
  PersonKeptCopies1763800028000,
  RepatriationOneOpenPerArrest1763800029000,
  RequestReferencesAtApprove1763800030000,
  CaseShareReferences1763800040000,
  SharedLoginThrottle1763800041000,
  RegionalScreeningKeys1763800042000,
  FrameworkMembershipDates1763800050000,
  RequestDispatch1763800051000,
  IdentifierIndex1763800070000,
  IdentifierChecks1763800071000,
  IdentifierCorrelations1763800080000,
  ArrestShareCorrelations1763800081000,
  FamilyTypoScreeningKeys1763800100000,
  ScreeningProfileRetrievalForms1763800110000,
  DispatchAttachmentGroups1763800140000,
  CallerWritePosition1763800160000,
  DraftCreateWrites1763800180000,
  ClearedCandidatesIndex1763800190000,
  StatsTargetSideBySending1763800200000,
  RetrievalEditSimilarity1763800210000,
  ScreeningAlertProposerTold1763800220000,
  FileProvenance1763800400000,
  RepatriationOneOpenPerSide1763800500000,
  GivenNameShapeScreeningKeys1763800600000,
  KeptCopyOnward1763800650000,
  WithheldCorrelations1763800660000,
  AmendmentProposalQueue1763800800000,
  RefoldReceivedIdentifierKeys1763800810000,
  CaseContentUpdatedAt1763800820000,
  PersonReturns1763800830000,
  CustodyStepsTold1763800840000,
  CorrelateOnPersonReturn1763800860000,
  FaithfulProvenanceKeys1763800870000,
  CorrelateNamedPersonsOnReturn1763800880000,
  NoSurrogateIdentifierKeys1763800890000,
  BirthYearShapeScreeningKeys1763801000000,
  KeptCopyIdentifiers1763801030000,
  CandidatesWithoutEntryLocks1763801040000,
  CandidateIdsBesideTheirScreening1763801041000,
  ReleaseGrantCovers1763801050000,
  PasswordResetFourEyes1763801060000,
  ArrestFileWithdrawalTold1763801070000,
  DropUnreadArrestReceipts1763801110000,
  DropGapTextArrestReceipts1763801120000,
  DropSecondArrestShareReceipts1763801130000,
  RecordReceiptsOfTextsSharedUnweighed1763801140000,
  AuditEventNamedRecords1763801150000,
  GrantNumberKeys1763801160000,
  FileReceivedNumbers1763801170000,
  AttachmentVersionSameParentType1763801180000,
  SignInAddresses1763801190000,
  WebhookAttemptLease1763801200000,
  DigitsReadAsLettersKeys1763801210000,
  WadeGilesSurnameKeys1763801220000,
  CantoneseReadingKeys1763801230000,
  CountriesCooperateFunction1763801240000,
  CandidateEntryIdentity1763801250000,
  BlacklistEntryExtension1763801260000,
  ArrestCorrections1763801270000,
  RequestDraftEditors1763801280000,
  UndecidedCandidatesIndex1763801320000,
  PersonAccounts1763801330000,
  UserMfa1763801350000,
  DraftBlacklistEntriesTakenOff1763801360000,
  AuditNamedTargetsTakenOff1763801370000,
  AuditNamedArrestsOfDraftEdits1763801380000,
  FilePhoneNumbers1763801390000,
  FileOwnNumbers1763801400000,
  FileOwnNumbersRead1763801410000,
  MfaEnrolmentPass1763801420000,
  PasswordSetBy1763801430000,
  MfaResetBy1763801440000,
];
