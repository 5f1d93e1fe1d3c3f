from __future__ import annotations
import typing
__all__: list[str] = ['check_id_number', 'check_org_code', 'check_reg_no', 'check_uscc', 'division_check_names', 'divisions', 'is_valid_id_number', 'is_valid_uscc', 'kind_names', 'mask_id_number', 'normalize_code', 'reason_names', 'reason_text', 'status_names', 'upgrade_id_15_to_18', 'uscc_authority_name', 'uscc_org_type_name', 'warnings_to_string']
def check_id_number(values: typing.Any, today: str | None = None, mask: bool = False, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Validates resident ID numbers (GB 11643); 15-digit ones are upgraded to 18.
    """
def check_org_code(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Validates organization codes (GB 11714), with or without the hyphen.
    """
def check_reg_no(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Validates 15-digit business registration numbers (ISO 7064 MOD 11,10).
    """
def check_uscc(values: typing.Any, threads: typing.SupportsInt | typing.SupportsIndex = 0) -> dict:
    """
    Validates a sequence of USCCs (GB 32100); returns a dict of numpy columns.
    """
def division_check_names() -> list[str]:
    ...
def divisions() -> dict:
    """
    The embedded GB/T 2260 table, in code order (the order of division_index).
    """
def is_valid_id_number(code: str, today: str | None = None) -> bool:
    ...
def is_valid_uscc(code: str) -> bool:
    ...
def kind_names() -> list[str]:
    ...
def mask_id_number(values: typing.Any) -> list:
    """
    Masks ID numbers: first 6 and last 4 kept (370102********1234).
    """
def normalize_code(values: typing.Any) -> list:
    """
    Normalized input forms (full-width, case, spaces, hyphens).
    """
def reason_names() -> list[str]:
    ...
def reason_text(arg0: str) -> str:
    ...
def status_names() -> list[str]:
    ...
def upgrade_id_15_to_18(values: typing.Any) -> list:
    """
    18-digit forms of 15-digit ID numbers ('' where not 15 digits).
    """
def uscc_authority_name(arg0: str) -> str:
    ...
def uscc_org_type_name(arg0: str, arg1: str) -> str:
    ...
def warnings_to_string(arg0: typing.SupportsInt | typing.SupportsIndex) -> str:
    ...
