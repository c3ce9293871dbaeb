"""Typed view of the JSON returned by OTTO Market's Receipts API v3 (``GET /v3/receipts``).

Source of the field list: OTTO's OpenAPI definition ``receipts-v3.json`` (published at
https://api.otto.market/docs/specs/public/receipts-v3.json, info.version "3.0.0"), read in its bundled form in
the public repository ``creatissimo/otto-market-api``, file ``openapi.json`` (commit 73a26911cdbb), schemas
``*__Receipts-V3``; cross-checked with the generated model docs of ``kassaline/openapi-clients-otto``
(``docs/Model/*ReceiptsV3.md``, commits 552483394bfb and cfbab2b5a1f5). The bundle carries no spec date; its
Receipts V3 part is at least as new as OTTO's changelog entry of 2025-01-08 (REFUND_CREDIT_CARD_DISPUTE) and
already has ``isDeemedSupplierModel`` and refundType ``DELIVERY_FEE_REFUND_AFTER_FULL_REFUND``.

Field names, nesting and required/optional follow that spec exactly: Python attributes are snake_case, the
camelCase API names are the aliases. Unknown fields are kept (``extra="allow"``) because OTTO adds fields and
enum values without a new API version; for the same reason enum-like fields are plain ``str`` and the values
the spec knows are listed in the ``KNOWN_*`` sets below, to be checked by the importer, not by the parser.

Money: every amount in the API is a ``MonetaryAmount`` object
``{"amount": <JSON number>, "currency": "EUR"}``.
The caller MUST parse the JSON text with ``json.loads(text, parse_float=Decimal)`` and hand the result to
``ReceiptsPage.model_validate`` / ``Receipt.model_validate``. A float reaching a money field is rejected,
because the binary float has already lost the exact decimal the API sent; this also makes pydantic's own
``model_validate_json`` fail loudly instead of silently rounding (it hands floats to validators). Amounts
also accept ``Decimal``, ``int`` and numeric ``str``. Tax rates are strings in the API (``"19.0"``) and are
kept as strings, with a Decimal accessor.

Date-times are ISO-8601 UTC per the spec; a value without offset is taken as UTC so that later conversion to
Europe/Berlin (which decides the invoice week) is never ambiguous.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from recon import i18n
from recon.importing.fields import MAX_AMOUNT

__all__ = [
    "KNOWN_DELIVERY_COST_TYPES",
    "KNOWN_PARTIAL_REFUND_TYPES",
    "KNOWN_PRICE_MODIFICATION_TYPES",
    "KNOWN_RECEIPT_TYPES",
    "KNOWN_REFUND_TYPES",
    "KNOWN_TAX_TYPES",
    "Address",
    "AddressInformation",
    "Benefit",
    "Customer",
    "DeliveryCost",
    "DeliveryCostPartialRefundPosition",
    "Details",
    "ItemPartialRefundPosition",
    "ItemPosition",
    "LineItems",
    "Link",
    "LinkedItemDetails",
    "MonetaryAmount",
    "PartialRefundDetails",
    "Partner",
    "Payment",
    "Price",
    "PriceModification",
    "PriceToPayPerPositionItem",
    "Receipt",
    "ReceiptsPage",
    "ServicePartialRefundPosition",
    "ServicePosition",
    "ServiceRelation",
    "Shipment",
    "TotalsReduction",
    "TotalsReductionDetails",
]

# Values the spec enumerates. OTTO extends these lists over time, so they are advisory.
KNOWN_RECEIPT_TYPES = frozenset({"PURCHASE", "REFUND", "PARTIAL_REFUND"})
KNOWN_TAX_TYPES = frozenset({"VAT", "INSURANCE"})
KNOWN_DELIVERY_COST_TYPES = frozenset({"DELIVERY_FEE_STANDARD", "DELIVERY_FEE_FREIGHT_SURCHARGE"})
KNOWN_PRICE_MODIFICATION_TYPES = frozenset(
    {
        "PARTNER_DISCOUNT",
        "DEFECT_COMPENSATION",
        "REFUND_COMPLAINT_ITEM",
        "REFUND_PAYPAL_DISPUTE",
        "REFUND_ESCALATION",
        "REFUND_PARTIAL_AMOUNT_AFTER_SERVICE_CANCELLATION",
        "REFUND_CREDIT_CARD_DISPUTE",
    }
)
KNOWN_REFUND_TYPES = frozenset(
    {
        "RETURN",
        "CANCELLATION",
        "SERVICE_FULL_REFUND_CANCELLED_BY_SDU",
        "SERVICE_FULL_REFUND_CANCELLED_BY_CUSTOMER",
        "SERVICE_FULL_REFUND_PRODUCT_RETURNED",
        "DELIVERY_FEE_REFUND_AFTER_FULL_REFUND",
    }
)
KNOWN_PARTIAL_REFUND_TYPES = frozenset(
    {
        "REFUND_COMPLAINT_ITEM",
        "REFUND_PAYPAL_DISPUTE",
        "REFUND_ESCALATION",
        "REFUND_PARTIAL_AMOUNT_AFTER_SERVICE_CANCELLATION",
        "REFUND_CREDIT_CARD_DISPUTE",
    }
)


def _exact_amount(value: Any) -> Any:
    """Refuse inputs that cannot carry an exact decimal; the rest goes to pydantic's Decimal parsing."""
    if isinstance(value, bool):
        raise ValueError(i18n.t("input.reason.boolean_amount"))
    if isinstance(value, float):
        raise ValueError(i18n.t("input.reason.float_amount"))
    if isinstance(value, int | Decimal) and (not Decimal(value).is_finite() or abs(Decimal(value)) > MAX_AMOUNT):
        # Before pydantic's own Decimal checks, which call 1E+30 "not a valid decimal"; later code could not
        # quantize it at all.
        text = i18n.t("input.amount_too_large", amount=str(value), limit=i18n.number(MAX_AMOUNT))
        raise PydanticCustomError("amount_too_large", text)
    return value


def _as_utc(value: datetime) -> datetime:
    """The spec says UTC; an offset-less value is read as UTC rather than as local time."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


ExactDecimal = Annotated[Decimal, BeforeValidator(_exact_amount)]
UtcDateTime = Annotated[datetime, AfterValidator(_as_utc)]


class _ApiModel(BaseModel):
    # extra="allow" keeps fields OTTO adds later; populate_by_name lets tests build models in snake_case.
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class MonetaryAmount(_ApiModel):
    """``MonetaryAmount`` (inlined via allOf in the spec). Sign is not defined by the spec; see notes."""

    amount: ExactDecimal = Field(alias="amount")
    currency: str = Field(alias="currency")


class Price(_ApiModel):
    """``Price``: one gross/net/tax triple for one tax type and rate.

    Used as unitPrice, positionSum, priceToPay, priceModificationAmount, partialRefundAmount and for each
    entry of ``Receipt.totals``. ``net``/``tax`` are optional in the spec (not reliably set before 2023).
    """

    tax_type: str = Field(alias="taxType")
    tax_rate: str = Field(alias="taxRate")
    gross: MonetaryAmount = Field(alias="gross")
    net: MonetaryAmount | None = Field(default=None, alias="net")
    tax: MonetaryAmount | None = Field(default=None, alias="tax")

    @property
    def tax_rate_decimal(self) -> Decimal:
        """The API sends the rate as a string (it may one day hold words like NON_TAXABLE); raises then."""
        return Decimal(self.tax_rate)


class Details(_ApiModel):
    """``Details`` of a price modification: discount name/code, or the earlier receipt it refers to."""

    description: str = Field(alias="description")
    id: str | None = Field(default=None, alias="id")
    linked_receipt_number: str | None = Field(default=None, alias="linkedReceiptNumber")
    linked_receipt_creation_date: UtcDateTime | None = Field(default=None, alias="linkedReceiptCreationDate")
    type: str | None = Field(default=None, alias="type")
    reason: str | None = Field(default=None, alias="reason")
    linked_position_item_id: str | None = Field(default=None, alias="linkedPositionItemId")


class PriceModification(_ApiModel):
    """``PriceModification``: a reduction of its parent line (instant discount, earlier partial refund)."""

    line_number: int | None = Field(default=None, alias="lineNumber")
    price_modification_type: str = Field(alias="priceModificationType")
    details: Details = Field(alias="details")
    price_modification_amount: Price = Field(alias="priceModificationAmount")


class PriceToPayPerPositionItem(_ApiModel):
    """``PriceToPayPerPositionItem``: price of one unit after instant reductions (PURCHASE only)."""

    position_item_ids: list[str] = Field(alias="positionItemIds")
    price_to_pay: Price = Field(alias="priceToPay")


class ItemPosition(_ApiModel):
    """``ItemPosition``: billed or refunded article line (PURCHASE, REFUND). Has no product category."""

    line_number: int | None = Field(default=None, alias="lineNumber")
    sku: str | None = Field(default=None, alias="sku")
    expected_performance_period: str | None = Field(default=None, alias="expectedPerformancePeriod")
    article_number: str = Field(alias="articleNumber")
    product_title: str = Field(alias="productTitle")
    variation_attributes: str | None = Field(default=None, alias="variationAttributes")
    position_item_ids: list[str] = Field(alias="positionItemIds")
    quantity: int = Field(alias="quantity")
    unit_price: Price = Field(alias="unitPrice")
    price_to_pay_per_position_items: list[PriceToPayPerPositionItem] | None = Field(
        default=None, alias="priceToPayPerPositionItems"
    )
    position_sum: Price = Field(alias="positionSum")
    price_modifications: list[PriceModification] = Field(default_factory=list, alias="priceModifications")


class Benefit(_ApiModel):
    """``Benefit``: customer benefit behind a partial refund."""

    id: str | None = Field(default=None, alias="id")
    description: str | None = Field(default=None, alias="description")


class PartialRefundDetails(_ApiModel):
    """``PartialRefundDetails``."""

    benefit: Benefit | None = Field(default=None, alias="benefit")


class ItemPartialRefundPosition(_ApiModel):
    """``ItemPartialRefundPosition``: goodwill refund on an article without return (PARTIAL_REFUND only)."""

    partial_refund_details: PartialRefundDetails | None = Field(default=None, alias="partialRefundDetails")
    line_number: int | None = Field(default=None, alias="lineNumber")
    sku: str | None = Field(default=None, alias="sku")
    article_number: str = Field(alias="articleNumber")
    product_title: str = Field(alias="productTitle")
    variation_attributes: str | None = Field(default=None, alias="variationAttributes")
    position_item_ids: list[str] = Field(alias="positionItemIds")
    partial_refund_amount: Price = Field(alias="partialRefundAmount")


class ServiceRelation(_ApiModel):
    """``ServiceRelation``: which service instance belongs to which article instance."""

    service_position_item_id: str = Field(alias="servicePositionItemId")
    position_item_id: str = Field(alias="positionItemId")


class LinkedItemDetails(_ApiModel):
    """``LinkedItemDetails``: the article a service was sold with."""

    item_receipt_number: str | None = Field(default=None, alias="itemReceiptNumber")
    item_partner_name: str | None = Field(default=None, alias="itemPartnerName")
    sku: str | None = Field(default=None, alias="sku")
    article_number: str = Field(alias="articleNumber")
    product_title: str = Field(alias="productTitle")
    service_relations: list[ServiceRelation] = Field(alias="serviceRelations")


class ServicePosition(_ApiModel):
    """``ServicePosition``: billed B2C service (disposal, insurance, external warranty)."""

    line_number: int | None = Field(default=None, alias="lineNumber")
    service_type: str | None = Field(default=None, alias="serviceType")
    expected_performance_period: str | None = Field(default=None, alias="expectedPerformancePeriod")
    service_name: str = Field(alias="serviceName")
    service_position_item_ids: list[str] = Field(alias="servicePositionItemIds")
    linked_item_details: LinkedItemDetails | None = Field(default=None, alias="linkedItemDetails")
    quantity: int = Field(alias="quantity")
    unit_price: Price = Field(alias="unitPrice")
    position_sum: Price = Field(alias="positionSum")
    price_modifications: list[PriceModification] = Field(default_factory=list, alias="priceModifications")
    insurance_period: int | None = Field(default=None, alias="insurancePeriod")


class ServicePartialRefundPosition(_ApiModel):
    """``ServicePartialRefundPosition``: every field is optional in the spec."""

    line_number: int | None = Field(default=None, alias="lineNumber")
    service_type: str | None = Field(default=None, alias="serviceType")
    service_name: str | None = Field(default=None, alias="serviceName")
    service_position_item_ids: list[str] | None = Field(default=None, alias="servicePositionItemIds")
    partial_refund_amount: Price | None = Field(default=None, alias="partialRefundAmount")
    insurance_period: int | None = Field(default=None, alias="insurancePeriod")


class DeliveryCost(_ApiModel):
    """``DeliveryCost``: shipping, charged once per partner and order on the first PURCHASE receipt."""

    line_number: int | None = Field(default=None, alias="lineNumber")
    delivery_cost_type: str = Field(alias="deliveryCostType")
    unit_price: Price = Field(alias="unitPrice")
    position_sum: Price = Field(alias="positionSum")
    price_modifications: list[PriceModification] = Field(default_factory=list, alias="priceModifications")


class DeliveryCostPartialRefundPosition(_ApiModel):
    """``DeliveryCostPartialRefundPosition``: an empty schema; OTTO says the list is always empty for now."""


class LineItems(_ApiModel):
    """``LineItems``: the spec requires all six lists; an absent one reads as empty."""

    item_positions: list[ItemPosition] = Field(default_factory=list, alias="itemPositions")
    item_partial_refund_positions: list[ItemPartialRefundPosition] = Field(
        default_factory=list, alias="itemPartialRefundPositions"
    )
    service_positions: list[ServicePosition] = Field(default_factory=list, alias="servicePositions")
    service_partial_refund_positions: list[ServicePartialRefundPosition] = Field(
        default_factory=list, alias="servicePartialRefundPositions"
    )
    delivery_costs: list[DeliveryCost] = Field(default_factory=list, alias="deliveryCosts")
    delivery_fee_partial_refund_positions: list[DeliveryCostPartialRefundPosition] = Field(
        default_factory=list, alias="deliveryFeePartialRefundPositions"
    )


class Address(_ApiModel):
    """``Address``: customer invoice address or delivery address (countryCode is ISO 3166-1 alpha-3)."""

    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")
    street: str = Field(alias="street")
    house_number: str | None = Field(default=None, alias="houseNumber")
    addition: str | None = Field(default=None, alias="addition")
    zip_code: str = Field(alias="zipCode")
    city: str = Field(alias="city")
    country_code: str = Field(alias="countryCode")


class AddressInformation(_ApiModel):
    """``AddressInformation``: ship-from place of a shipment."""

    zip_code: str = Field(alias="zipCode")
    country_code: str = Field(alias="countryCode")


class Shipment(_ApiModel):
    """``Shipment``: only on PURCHASE receipts with items; unreliable before 2024-03-01."""

    ship_from_address: AddressInformation = Field(alias="shipFromAddress")


class Customer(_ApiModel):
    """``Customer``."""

    invoice_address: Address = Field(alias="invoiceAddress")


class Partner(_ApiModel):
    """``Partner``: the seller in whose name the receipt is issued."""

    partner_name: str = Field(alias="partnerName")
    street: str = Field(alias="street")
    zip_code: str = Field(alias="zipCode")
    city: str = Field(alias="city")
    country_code: str = Field(alias="countryCode")
    vat_id: str = Field(alias="vatId")
    represented_by: str = Field(alias="representedBy")
    register_court: str | None = Field(default=None, alias="registerCourt")
    commercial_register_number: str | None = Field(default=None, alias="commercialRegisterNumber")
    head_of_supervisory_board: str | None = Field(default=None, alias="headOfSupervisoryBoard")
    shop_name: str | None = Field(default=None, alias="shopName")
    weee_registration_number: str | None = Field(default=None, alias="weeeRegistrationNumber")


class Payment(_ApiModel):
    """``Payment``: provider and method; prepaid methods make ``amountDue`` 0 on PURCHASE receipts."""

    payment_provider: str = Field(alias="paymentProvider")
    payment_method: str = Field(alias="paymentMethod")
    installment_count: int | None = Field(default=None, alias="installmentCount")
    payment_break: bool | None = Field(default=None, alias="paymentBreak")


class TotalsReductionDetails(_ApiModel):
    """``TotalsReductionDetails``."""

    voucher_code: str | None = Field(default=None, alias="voucherCode")


class TotalsReduction(_ApiModel):
    """``TotalsReduction``: a reduction of the whole receipt (a voucher); lowers ``amountDue``."""

    type: str = Field(alias="type")
    details: TotalsReductionDetails | None = Field(default=None, alias="details")
    gross: MonetaryAmount = Field(alias="gross")


class Receipt(_ApiModel):
    """``Receipt``: PURCHASE per shipment, REFUND per accepted return, PARTIAL_REFUND per goodwill refund.

    The spec marks payment, partner, customer, orderDate, amountDue, isRealReceipt and isDeemedSupplierModel as
    required. Nothing the reconciliation needs lives there, and receipts saved before a field was added lack
    it, so they are optional here: a missing address must not make a seller's books unimportable.
    """

    receipt_type: str = Field(alias="receiptType")
    is_real_receipt: bool | None = Field(default=None, alias="isRealReceipt")
    is_deemed_supplier_model: bool | None = Field(default=None, alias="isDeemedSupplierModel")
    receipt_number: str = Field(alias="receiptNumber")
    creation_date: UtcDateTime = Field(alias="creationDate")
    fulfillment_date: UtcDateTime | None = Field(default=None, alias="fulfillmentDate")
    sales_order_id: str = Field(alias="salesOrderId")
    order_number: str = Field(alias="orderNumber")
    order_date: UtcDateTime | None = Field(default=None, alias="orderDate")
    shipment_date: UtcDateTime | None = Field(default=None, alias="shipmentDate")
    shipment: Shipment | None = Field(default=None, alias="shipment")
    linked_receipt_number: str | None = Field(default=None, alias="linkedReceiptNumber")
    linked_creation_date: UtcDateTime | None = Field(default=None, alias="linkedCreationDate")
    payment: Payment | None = Field(default=None, alias="payment")
    partner: Partner | None = Field(default=None, alias="partner")
    customer: Customer | None = Field(default=None, alias="customer")
    delivery_address: Address | None = Field(default=None, alias="deliveryAddress")
    line_items: LineItems = Field(alias="lineItems")
    totals: list[Price] = Field(alias="totals")
    refund_type: str | None = Field(default=None, alias="refundType")
    partial_refund_type: str | None = Field(default=None, alias="partialRefundType")
    amount_due: MonetaryAmount | None = Field(default=None, alias="amountDue")
    totals_gross_amount: MonetaryAmount | None = Field(default=None, alias="totalsGrossAmount")
    totals_reductions: list[TotalsReduction] | None = Field(default=None, alias="totalsReductions")


class Link(_ApiModel):
    """``Link``: ``rel`` "next" carries the paging cursor (``?next=...``), "self" the current resource."""

    href: str | None = Field(default=None, alias="href")
    rel: str | None = Field(default=None, alias="rel")


class ReceiptsPage(_ApiModel):
    """``ReceiptsList``: one page of ``GET /v3/receipts`` (at most 128 receipts, newest first).

    Both lists are optional in the spec; an absent list reads as empty, since an empty page and a page
    without the key mean the same to the importer.
    """

    resources: list[Receipt] = Field(default_factory=list, alias="resources")
    links: list[Link] = Field(default_factory=list, alias="links")

    @property
    def next_href(self) -> str | None:
        """The ``next`` link, or None on the last page."""
        for link in self.links:
            if link.rel == "next":
                return link.href
        return None
