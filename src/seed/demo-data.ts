/** The demo world: the task forces of the mission, their police agencies, one account per role. */
export const DEMO_COUNTRIES: Array<{ code: string; name: string; agency: string }> = [
  { code: 'KR', name: 'Republic of Korea', agency: 'Korean National Police Agency' },
  { code: 'KH', name: 'Cambodia', agency: 'Cambodian National Police' },
  { code: 'MY', name: 'Malaysia', agency: 'Royal Malaysia Police' },
  { code: 'TH', name: 'Thailand', agency: 'Royal Thai Police' },
  { code: 'VN', name: 'Viet Nam', agency: 'Ministry of Public Security of Viet Nam' },
  { code: 'LA', name: "Lao People's Democratic Republic", agency: 'Lao National Police' },
  { code: 'PH', name: 'Philippines', agency: 'Philippine National Police' },
  { code: 'ID', name: 'Indonesia', agency: 'Indonesian National Police' },
  { code: 'SG', name: 'Singapore', agency: 'Singapore Police Force' },
  { code: 'MM', name: 'Myanmar', agency: 'Myanmar Police Force' },
  { code: 'BN', name: 'Brunei Darussalam', agency: 'Royal Brunei Police Force' },
];

export const DEMO_FRAMEWORKS: Array<{
  name: string;
  members: string[];
  validFrom: string;
  /** When a member joined, where later than the framework's first day. */
  joinedOn?: Record<string, string>;
}> = [
  { name: 'Cambodia–Korea Joint Task Force', members: ['KR', 'KH'], validFrom: '2025-11-01' },
  { name: 'Korea–Malaysia Police Cooperation MOU', members: ['KR', 'MY'], validFrom: '2026-02-01' },
  {
    // Korea-led; the others joined one by one (Malaysia was asked to, and did).
    name: 'International Investigative Body on Scam Compounds',
    members: ['KR', 'KH', 'MY', 'TH', 'VN', 'PH', 'LA', 'ID'],
    validFrom: '2026-03-01',
    joinedOn: {
      TH: '2026-04-15',
      VN: '2026-05-01',
      PH: '2026-06-01',
      MY: '2026-07-01',
      LA: '2026-08-01',
      ID: '2026-09-01',
    },
  },
];

/** Countries that get a full set of demo accounts. */
export const DEMO_USER_COUNTRIES = ['KR', 'KH', 'MY', 'TH'];

/** `<country>.<name>` accounts per demo country; the second officer and liaison allow four-eyes flows. */
export const DEMO_ACCOUNTS: Array<{
  name: string;
  role: 'officer' | 'liaison' | 'screener' | 'auditor' | 'admin';
}> = [
  { name: 'officer', role: 'officer' },
  { name: 'officer2', role: 'officer' },
  { name: 'liaison', role: 'liaison' },
  { name: 'liaison2', role: 'liaison' },
  { name: 'screener', role: 'screener' },
  { name: 'auditor', role: 'auditor' },
  { name: 'admin', role: 'admin' },
];

export const PLATFORM_ADMIN_USERNAME = 'platform.admin';
