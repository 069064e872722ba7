\set post random(:post_lo, :post_hi)
\set fan random(:fan_lo, :fan_hi)
WITH added AS (INSERT INTO voting_vote (post_id, fan_id, created_at, trust_level, weight) VALUES (:post, :fan, now(), 1, 1.0) ON CONFLICT (post_id, fan_id) DO NOTHING RETURNING post_id) UPDATE board_post SET votes_count = votes_count + 1, weighted_votes = weighted_votes + 1.0, trending_votes = trending_votes + 1, hot_score = round((log(votes_count + 1) + extract(epoch FROM created_at - TIMESTAMPTZ '2020-01-01 00:00:00+00') / 259200)::numeric, 7) WHERE id IN (SELECT post_id FROM added);
