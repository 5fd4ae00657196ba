"""Engine settings (pydantic), composed into the app config by `bot.config`."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClusteringSettings(_Strict):
    """How articles are grouped into stories."""

    window_hours: float = Field(96.0, gt=0, description="how far apart two articles of one story may be")


class IngestSettings(_Strict):
    """Drop-folder ingestion."""

    max_file_bytes: int = Field(5_000_000, gt=0, description="larger files are rejected")
    rejected_dir: str = Field(".rejected", description="where bad files go, inside the drop folder")
