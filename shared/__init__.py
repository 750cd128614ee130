"""Cam kết's shared package: what crosses a service boundary.

Public event contracts (versioned, frozen), the CloudEvents envelope, subject names, messaging and
telemetry helpers, the settings base, and the few pure helpers every service needs to speak the
same language (Vietnam's civil time, reporting periods, the official status wording).
No service code is imported from here.
"""
