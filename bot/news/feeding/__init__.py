"""Feed polling internals behind `bot.news.feeds.FeedBook`: models, identity, schedule, poller."""
