"""Incident categories (content, incidents/categories.toml)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from models.election import Names


class IncidentSeverity(StrEnum):
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"  # coordinators are alerted at once, with the evidence


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: Names


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    stage: str
    severity: IncidentSeverity
    name: Names


class IncidentCatalog(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    stages: tuple[Stage, ...]
    categories: tuple[Category, ...]

    @model_validator(mode="after")
    def _consistent(self) -> IncidentCatalog:
        stages = {stage.key for stage in self.stages}
        codes = [category.code for category in self.categories]
        if len(codes) != len(set(codes)):
            raise ValueError("a category code appears twice")
        for category in self.categories:
            if category.stage not in stages:
                raise ValueError(f"category {category.code}: unknown stage {category.stage}")
            if len(category.code) > 24:
                raise ValueError(
                    f"category {category.code}: codes are at most 24 characters (callback data)"
                )
        return self

    def category(self, code: str) -> Category | None:
        return next((category for category in self.categories if category.code == code), None)

    def in_stage(self, stage: str) -> list[Category]:
        return [category for category in self.categories if category.stage == stage]
