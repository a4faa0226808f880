"""Accounts and the record of who did what: users, passwords, sessions, the second
factor, sign-in throttling and the audit trail, all kept in the instance database."""
