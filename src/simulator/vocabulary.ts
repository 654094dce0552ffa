/**
 * Word pools for plausible records. Picking from shared pools keeps a million records cheap:
 * most strings are shared references, only emails, streets and full names are built per record.
 */

export const FIRST_NAMES = [
  'Taylor', 'Jordan', 'Alex', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Harper',
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Lucas', 'Mia', 'Mateo',
  'Amelia', 'Levi', 'Isabella', 'Ethan', 'Chloé', 'José', 'Zoë', 'Björn', 'Søren', 'Anaïs',
  'Łukasz', 'Dương', 'Siobhán', 'François', 'Mårten', 'Priya', 'Aarav', 'Mei', 'Hiroshi', 'Yuki',
  'Fatima', 'Omar', 'Aisha', 'Kwame', 'Ngozi', 'Diego', 'Camila', 'Valentina', 'Ivan', 'Olga',
] as const;

export const LAST_NAMES = [
  'Lowe', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Martinez',
  'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Moore', 'Jackson', 'Martin', 'Lee', 'Thompson', 'White',
  'Nguyen', 'Kim', 'Patel', 'Chen', 'Müller', 'Schröder', 'Østergaard', 'Ó Briain', "O'Neil", 'da Silva',
  'van der Berg', 'Kowalski', 'Novák', 'Yılmaz', 'Suzuki', 'Tanaka', 'Okafor', 'Mensah', 'Haddad', 'Ivanova',
] as const;

export const MIDDLE_NAMES = ['A.', 'B.', 'J.', 'Marie', 'Lee', 'Ann', 'James', 'R.'] as const;
export const PREFIXES = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] as const;
export const SUFFIXES = ['Jr.', 'Sr.', 'II', 'III', 'PhD'] as const;

export const TITLES = [
  'BD', 'CEO', 'CTO', 'CFO', 'VP Sales', 'Account Executive', 'Office Manager', 'Engineer',
  'Head of Operations', 'Procurement Lead', 'Marketing Director', 'Consultant',
] as const;

export const COMPANY_WORDS = [
  'Dunder', 'Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Tyrell',
  'Cyberdyne', 'Soylent', 'Aperture', 'Wonka', 'Gringotts', 'Oscorp', 'Nakatomi', 'Pied Piper', 'Massive', 'Blue Sun',
  'Nordlys', 'Café Müller', 'Żubr', 'Fjällräven', 'Sakura', 'Kōhī', 'Aurora', 'Helios', 'Quantum', 'Evergreen',
] as const;

export const COMPANY_SUFFIXES = ['Mifflin', 'Corp', 'Inc.', 'Ltd', 'GmbH', 'Industries', 'Labs', 'Group', 'Systems', 'S.A.', 'AB', 'Holdings'] as const;

export const STREETS = ['Main St', 'Oak Ave', 'Maple Dr', 'Rue de la Paix', 'Königsallee', 'King St W', 'Market St', 'High St'] as const;

export const PLACES = [
  { city: 'Vancouver', state: 'BC', country: 'CA', postal: 'V6B 1A1' },
  { city: 'Toronto', state: 'ON', country: 'CA', postal: 'M5V 2T6' },
  { city: 'San Francisco', state: 'CA', country: 'US', postal: '94105' },
  { city: 'New York', state: 'NY', country: 'US', postal: '10001' },
  { city: 'Austin', state: 'TX', country: 'US', postal: '73301' },
  { city: 'London', state: null, country: 'GB', postal: 'EC1A 1BB' },
  { city: 'Berlin', state: 'BE', country: 'DE', postal: '10115' },
  { city: 'Paris', state: null, country: 'FR', postal: '75001' },
  { city: 'São Paulo', state: 'SP', country: 'BR', postal: '01000-000' },
  { city: 'Tokyo', state: '13', country: 'JP', postal: '100-0001' },
  { city: 'Kraków', state: 'MA', country: 'PL', postal: '30-001' },
] as const;

export const EMAIL_DOMAINS = ['example.com', 'mail.test', 'corp.example', 'bücher.example', 'startup.io'] as const;
export const CATEGORIES = ['work', 'personal', 'other'] as const;
export const SOCIAL_HOSTS = ['linkedin.com/in', 'twitter.com', 'facebook.com', 'github.com'] as const;

export const TAGS = ['vip', 'lead', 'customer', 'partner', 'churn-risk', 'enterprise', 'smb', 'renewal', 'q4', 'éco'] as const;

export const OPPORTUNITY_THINGS = [
  'Office Chairs', 'Laptops', 'Support Plan', 'Annual License', 'Consulting Days', 'Server Racks',
  'Training Seats', 'Coffee Machines', 'Data Migration', 'Security Audit',
] as const;

export const PROJECT_NAMES = [
  'Customize Your New CRM', 'Onboarding', 'Website Relaunch', 'Q3 Campaign', 'Data Cleanup',
  'Partner Program', 'Renewal Drive', 'Integration Rollout', 'Trade Show Prep', 'Pilot',
] as const;

export const OPPORTUNITY_STATUSES = ['Open', 'Won', 'Lost', 'Abandoned'] as const;
export const PRIORITIES = ['None', 'Low', 'Medium', 'High'] as const;
export const CURRENCIES = ['USD', 'CAD', 'EUR', 'GBP', 'JPY', 'BRL'] as const;
export const PROJECT_STATUSES = ['Open', 'Completed'] as const;

/** Strings made of 4-byte UTF-8 characters (emoji, math letters, CJK extension B): what breaks `utf8` (3-byte) MySQL columns. */
export const FOUR_BYTE_STRINGS = [
  '🦄 Unicorn', 'Zoë 👩‍💻', '𝓙𝓸𝓻𝓭𝓪𝓷', '𠜎𠜱𠝹 Co', '🚀🚀🚀', 'Fa🇨🇦mily 👨‍👩‍👧‍👦', '🎉 Deal 💰', '𝔄𝔠𝔪𝔢',
] as const;
