-- A person holds a role once per company; staff roles have no company, so NULLs must compare equal.
CREATE UNIQUE INDEX `memberships_unique` ON `memberships` (`person_id`, `role`, coalesce(`company_id`, 0));
