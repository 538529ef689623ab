"""Callback data of every inline button. Versioned prefixes, so buttons left in chat history
still decode after a change; ids only, never text (64 bytes at most)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuItem(StrEnum):
    HOME = "home"
    PETITIONS = "pet"
    OBSERVER = "obs"
    MY_DATA = "data"
    LANGUAGE = "lang"
    HELP = "help"
    COORDINATOR = "coord"


class MenuV1(CallbackData, prefix="m1"):
    item: MenuItem


class LanguageV1(CallbackData, prefix="l1"):
    code: str


class PetitionAction(StrEnum):
    LIST = "ls"
    OPEN = "op"
    READ = "rd"  # show demand `index`
    AGREE = "ok"  # agree to demand `index`
    NAME = "nm"  # (re)enter the name
    REGION = "rg"  # (re)choose the region
    SIGN = "sg"
    CANCEL = "cx"
    WITHDRAW = "wd"
    WITHDRAW_CONFIRMED = "wy"


class PetitionV1(CallbackData, prefix="p1"):
    action: PetitionAction
    slug: str = ""
    index: int = 0


class RegionV1(CallbackData, prefix="g1"):
    slug: str
    code: str


class ForgetV1(CallbackData, prefix="f1"):
    confirmed: bool


class ObserverStep(StrEnum):
    NO_CODE = "nc"
    REGION = "rg"
    OTHER_REGION = "or"
    OTHER_NUMBER = "on"
    CONFIRM_PRECINCT = "cp"
    ADD_PRECINCT = "ap"
    DONE = "dn"
    SUBMIT = "sb"
    CANCEL = "cx"
    DISTRICT = "ds"  # value: the district's index in the region's list
    NUMBER = "nb"  # value: a precinct id, tapped instead of typed
    DISTRICTS = "dl"  # back to the region's districts
    EDIT_NAME = "en"  # from the review
    EDIT_PHONE = "ep"
    EDIT_PRECINCTS = "es"


class ObserverStepV1(CallbackData, prefix="o1"):
    step: ObserverStep
    value: str = ""


class ObserverDecisionV1(CallbackData, prefix="d1"):
    telegram_id: int
    approve: bool


class ProtocolStep(StrEnum):
    START = "st"
    PRECINCT = "pc"
    LEVEL = "lv"
    PHOTOS_DONE = "pd"
    BACK = "bk"
    EDIT = "ed"
    FIX = "fx"
    CONFIRM = "ok"
    CANCEL = "cx"
    LOOKS_RIGHT = "lr"  # the value OCR read for a doubtful line is right
    ALL_AT_ONCE = "aa"  # type every figure in one message
    ONE_BY_ONE = "ob"  # back from that to the line-by-line questions


class ProtocolStepV1(CallbackData, prefix="r1"):
    step: ProtocolStep
    value: str = ""


class CancelV1(CallbackData, prefix="c1"):
    discard: bool


class IncidentStep(StrEnum):
    START = "st"
    PRECINCT = "pc"
    STAGE = "sg"
    STAGES = "ss"
    CATEGORY = "ct"
    NOW = "nw"
    EVIDENCE_DONE = "ed"
    SEND = "sd"
    MERGE = "mg"
    NEW = "nu"
    CANCEL = "cx"
    EDIT_CATEGORY = "ec"  # from the review: each comes back to the review
    EDIT_TIME = "et"
    EDIT_DESCRIPTION = "eds"
    EDIT_EVIDENCE = "ee"


class IncidentStepV1(CallbackData, prefix="i1"):
    step: IncidentStep
    value: str = ""


class ReportStep(StrEnum):
    LIST = "ls"
    CORRECT = "cr"


class ReportStepV1(CallbackData, prefix="m2"):
    step: ReportStep
    incident: int = 0


class QueueV1(CallbackData, prefix="q1"):
    """A coordinators' queue page; `level` and `region` filter it ("" for all)."""

    kind: str  # services.moderation.Queue
    page: int = 0
    level: str = ""
    region: str = ""
    pick_region: bool = False


class CaseAction(StrEnum):
    OPEN = "op"
    VERIFY = "vf"  # the only copy is right, or (several copies) this one is picked
    REJECT = "rj"  # asks for a reason
    REJECT_WITH = "rw"  # a reason from the short list (value)
    CORRECT = "cr"  # asks which line
    CORRECT_LINE = "cl"  # value: the line's index in the form
    ASK = "ak"  # a message to the observer of this copy
    PHOTOS = "ph"


class CaseV1(CallbackData, prefix="k1"):
    """One precinct and level of the active election, and (for a copy's actions) the protocol."""

    action: CaseAction
    level: str
    precinct: int
    protocol: int = 0
    value: str = ""


class IncidentCardAction(StrEnum):
    OPEN = "op"
    VERIFY = "vf"
    REJECT = "rj"
    EVIDENCE = "ev"


class IncidentCardV1(CallbackData, prefix="n1"):
    action: IncidentCardAction
    incident: int


class CoordinatorV1(CallbackData, prefix="h1"):
    """Coordinators' home and the screens without an item: what is missing, exports."""

    # home, missing, exports, export-protocols, export-incidents, export-discrepancies, request
    screen: str
    value: str = ""


class BroadcastV1(CallbackData, prefix="b1"):
    """A broadcast being composed: choose the audience, then send or cancel."""

    step: str  # all, regions, region, numbers, missing, send, cancel
    value: str = ""


class OfficialV1(CallbackData, prefix="x1"):
    """Official results: a level's import or discrepancy report, one precinct's comparison."""

    step: str  # home, import, report, precinct
    level: str = ""
    precinct: int = 0
