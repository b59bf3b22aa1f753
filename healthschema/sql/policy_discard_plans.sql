-- Forget cached plans and PL/pgSQL expression states built earlier in this transaction (e.g. by the
-- fixture, as the owner): a real API request starts fresh, so privileges must be checked again.
DISCARD PLANS
