"""Engine settings (pydantic), composed into the app config by `bot.config`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator


class _Strict(BaseModel):
    # Unknown keys are errors; `inf` and `nan` (valid TOML floats) are no period, size or weight.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ClusteringSettings(_Strict):
    """How articles are grouped into stories (defaults tuned on the shared dev sets; see bench/eval_clustering.py)."""

    window_hours: float = Field(
        default=96.0, gt=0, description="how far apart two articles of one story may be"
    )
    late_window_hours: float = Field(
        default=336.0,
        ge=0,
        description=(
            "how far apart articles may still be one story when they share verbatim passages "
            "(a page republished days later); at most window_hours disables it"
        ),
    )
    late_stories: int = Field(
        default=3, ge=0, description="stories beyond window_hours scored in full for each new article"
    )
    retain_days: float = Field(
        default=30.0,
        ge=0,
        description=(
            "stories that took no new article for this many days (by arrival) stop being matched, "
            "which bounds memory (0: keep every story)"
        ),
    )
    # The join decision. An article joins the most similar story whose bar it clears, else starts one.
    join_threshold: float = Field(
        default=0.15,
        gt=0,
        le=1,
        description="average-link similarity an article needs to join a one-article story",
    )
    relative_threshold: float = Field(
        default=0.85,
        gt=0,
        le=1,
        description="share of a story's cohesion (mean similarity between its articles) an article needs",
    )
    cohesion_clip: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="most one pair of articles adds to a story's cohesion (near-copies do not tighten a story)",
    )
    cohesion_members: int = Field(
        default=24, ge=2, description="latest articles of a story whose pairs measure its cohesion"
    )
    min_similarity: float = Field(
        default=0.14, ge=0, le=1, description="similarity below which nothing joins a story"
    )
    prior_pairs: float = Field(
        default=6.0, gt=0, description="weight, in article pairs, of the prior cohesion of small stories"
    )
    time_penalty: float = Field(
        default=0.13,
        ge=0,
        description="similarity lost per window length between an article and a story's span",
    )
    # What similarity is made of.
    body_weight: float = Field(default=0.7, ge=0, description="weight of the article-text TF-IDF cosine")
    entity_weight: float = Field(default=0.1, ge=0, description="weight of the name-token TF-IDF cosine")
    headline_weight: float = Field(
        default=0.1, ge=0, description="weight of the title-and-opening TF-IDF cosine"
    )
    shingle_bonus: float = Field(
        default=0.1,
        ge=0,
        description="similarity added when an article shares long word sequences with a story",
    )
    shingle_saturation: float = Field(
        default=2.0, gt=0, description="shared shingle samples that earn the full bonus"
    )
    shingle_words: int = Field(default=8, ge=4, description="words per shingle")
    shingle_sampling: int = Field(default=4, ge=1, description="keep one shingle hash in this many")
    syndication_ratio: float = Field(
        default=90.0,
        ge=50,
        le=100,
        description="rapidfuzz ratio of two openings above which one is a copy of the other",
    )
    # Work and memory bounds.
    max_chars: int = Field(
        default=6000, gt=200, description="characters of each article analysed (the opening matters)"
    )
    max_terms: int = Field(default=100, gt=5, description="terms kept per article vector")
    max_entities: int = Field(default=30, gt=1, description="name tokens kept per article")
    index_terms: int = Field(default=20, gt=1, description="terms of each article put in the inverted index")
    query_terms: int = Field(
        default=45, gt=1, description="terms of a new article looked up in the inverted index"
    )
    candidate_stories: int = Field(
        default=10, gt=0, description="stories scored in full for each new article"
    )
    reassign_size: int = Field(
        default=12,
        ge=0,
        description="stories up to this size let an outsider member move to the new article's story (0: never)",
    )
    reassign_target: int = Field(
        default=3, ge=1, description="members only move to a story of at most this many articles"
    )
    reassign_stories: int = Field(
        default=2, ge=0, description="leading candidate stories checked for outsider members"
    )
    reassign_margin: float = Field(
        default=0.05, ge=0, description="how much better another story must fit a member that is no outsider"
    )
    regroup_size: int = Field(
        default=32,
        ge=0,
        description="voices of the new article's neighbourhood re-clustered from scratch after each "
        "assignment, so arrival order stops mattering (0: never)",
    )
    regroup_stories: int = Field(
        default=3, ge=0, description="leading candidate stories taken into the neighbourhood"
    )
    regroup_relative: float = Field(
        default=0.65,
        gt=0,
        le=1,
        description="share of a story's cohesion a small group left over by regrouping needs to join it",
    )
    regroup_margin: float = Field(
        default=1.2,
        ge=1,
        description="how many times its link to any other group that small group's best link must be",
    )
    regroup_adopt_size: int = Field(
        default=3,
        ge=0,
        description=(
            "groups of up to this many articles left over by regrouping may join the larger group they "
            "clearly belong to (0: none)"
        ),
    )
    split_size: int = Field(
        default=0,
        ge=0,
        description="stories up to this size are checked for a split (0: never; off by default because "
        "a wire story carried by many sites can split into its copies and its originals)",
    )
    split_margin: float = Field(
        default=0.03, ge=0, description="how far below the merge bar two halves must be to split"
    )
    evidence_stories: int = Field(
        default=3, ge=0, description="leading candidate stories checked for shared shingles"
    )
    evidence_members: int = Field(
        default=12, ge=1, description="latest articles of a story checked for shared shingles"
    )
    centroid_cache: int = Field(
        default=300,
        gt=10,
        description=(
            "centroids of stories of two or more articles kept in memory (rebuilt on demand; a "
            "one-article story's centroid is its article's vectors)"
        ),
    )


class IngestSettings(_Strict):
    """Drop-folder ingestion."""

    max_file_bytes: int = Field(5_000_000, gt=0, description="larger files are rejected")
    rejected_dir: str = Field(".rejected", description="where bad files go, inside the drop folder")
    # Unset (the default): two worker processes from two cores on, none on one core, started only
    # for a run of 1 MB of files or more (bench/bench_ingest.py: see bot/news/ingest/_pool.py).
    workers: int | None = Field(
        None,
        ge=0,
        le=256,
        description=(
            "processes that clean files and extract their quotes while one writer stores and "
            "clusters in order (unset: two from two cores on, none on one, for runs of 1 MB or "
            "more; 0: all in the ingesting process)"
        ),
    )

    @field_validator("rejected_dir")
    @classmethod
    def _one_folder_name(cls, value: str) -> str:
        # A path would put rejected files outside the drop folder ("../x"), or in it ("", "."),
        # where the watcher would read them again on every scan.
        name = value.strip()
        if not name or name in (".", "..") or any(sep in name for sep in ("/", "\\", "\0")):
            raise ValueError(
                f"must be one folder name inside the drop folder (like '.rejected'), not {value!r}"
            )
        return name


class NetworkSettings(_Strict):
    """What a fetch may do (`[network]`): the one source of these limits, for feeds and pages alike."""

    # Strict: only a TOML boolean; "yes" or 1 would open the host's own services by accident.
    allow_private_addresses: StrictBool = Field(
        False, description="let feeds reach private and loopback addresses (tests, trusted hosts only)"
    )
    user_agent: str = "Storydesk/0.1 (+self-hosted news digest bot)"
    timeout_seconds: float = Field(20.0, gt=0)
    max_response_bytes: int = Field(5_000_000, gt=0)
    per_host_concurrency: int = Field(2, ge=1)
    max_redirects: int = Field(5, ge=0)


class FeedSettings(_Strict):
    """How feeds are polled (`[feed]`); the defaults are sensible for a small server."""

    default_interval: float = Field(900.0, gt=0, description="seconds between polls of a new feed")
    announce_max_age_hours: float = Field(
        48.0, gt=0, description="older items of a new feed are not announced"
    )
    min_interval: float = Field(60.0, gt=0)
    jitter: float = Field(
        0.1, ge=0, lt=1, description="+-share of the interval, so feeds added together drift apart"
    )
    failing_after: int = Field(3, ge=1, description="consecutive failures before a feed is marked failing")
    backoff_max: float = Field(6 * 3600.0, gt=0)
    max_entry_attempts: int = Field(
        5, ge=1, description="page fetches for one entry before it is stored as it is"
    )
    entry_retry_base: float = Field(300.0, gt=0)
    full_text_min_chars: int = Field(600, ge=0, description="an entry with less text gets its page fetched")
    max_pages_per_poll: int = Field(20, ge=1, description="more stay pending for the next poll")
    max_entries_per_poll: int = Field(300, ge=1)
    poll_concurrency: int = Field(16, ge=1)
    max_feeds_per_guild: int = Field(50, ge=1)


class FeedConfig(_Strict):
    """One shared feed from the configuration (`[[feeds]]`)."""

    url: str
    name: str | None = None
    interval: float = Field(900.0, gt=0, description="seconds between polls")


class EngineSettings(_Strict):
    """Everything the engine is told, handed to `NewsDesk.open` once."""

    clustering: ClusteringSettings = Field(default_factory=ClusteringSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    feed: FeedSettings = Field(default_factory=FeedSettings)
    feeds: list[FeedConfig] = Field(default_factory=list)
