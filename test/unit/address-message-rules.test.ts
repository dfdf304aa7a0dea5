import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkAddressMessage,
  checkAddressRecipient,
  checkAddressValues,
} from "../../src/core/address-message-rules.ts";
import type { AddressMessageContent } from "../../src/core/interactive-content.ts";

const message = (extra: Partial<AddressMessageContent> = {}): AddressMessageContent => ({
  type: "interactive_address",
  body: "Where to?",
  country: "IN",
  ...extra,
});
const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe("address message rules", () => {
  it("accepts every field of each country's form, empty values included", () => {
    const india = {
      name: "A",
      phone_number: "+919876500001",
      in_pin_code: "400063",
      house_number: "1",
      floor_number: "2",
      tower_number: "T",
      building_name: "",
      address: "Rd",
      landmark_area: "L",
      city: "Mumbai",
      state: "MH",
    };
    assert.deepEqual(checkAddressValues("IN", india, "v"), []);
    assert.deepEqual(
      checkAddressValues(
        "SG",
        {
          name: "B",
          phone_number: "6581230001",
          sg_post_code: "018956",
          address: "Rd",
          unit_number: "#1",
          city: "Singapore",
        },
        "v",
      ),
      [],
    );
    assert.deepEqual(
      checkAddressValues("IN", { phone_number: "" }, "v"),
      [],
      "an empty phone number is not prefilled, not wrong",
    );
  });

  it("names each wrong field: another country's field, pin and post codes, phone numbers", () => {
    assert.deepEqual(
      fields(
        checkAddressValues(
          "IN",
          { unit_number: "#1", in_pin_code: "1234567", phone_number: "+6581230001" },
          "v",
        ),
      ),
      ["v.unit_number", "v.in_pin_code", "v.phone_number"],
    );
    assert.deepEqual(fields(checkAddressValues("SG", { sg_post_code: "1234567" }, "v")), ["v.sg_post_code"]);
    assert.deepEqual(fields(checkAddressValues("SG", { sg_post_code: "12a4" }, "v")), ["v.sg_post_code"]);
    assert.deepEqual(
      fields(checkAddressValues("IN", { in_pin_code: "ABC123" }, "v")),
      [],
      "Meta limits a pin code's length only",
    );
  });

  it("knows only India and Singapore, and a recipient of the form's country", () => {
    assert.deepEqual(fields(checkAddressMessage(message({ country: "US" }))), ["action.country"]);
    assert.deepEqual(checkAddressRecipient(message(), "919876500001"), []);
    assert.deepEqual(fields(checkAddressRecipient(message(), "6581230001")), ["action.country"]);
    assert.deepEqual(fields(checkAddressRecipient(message({ country: "SG" }), "919876500001")), [
      "action.country",
    ]);
  });

  it("checks saved addresses (ids blank or repeated, their values) and validation errors", () => {
    const errors = checkAddressMessage(
      message({
        savedAddresses: [
          { id: "a", value: {} },
          { id: "a", value: { in_pin_code: "1234567" } },
          { id: " ", value: {} },
        ],
        validationErrors: { zip: "x", city: " " },
      }),
    );
    assert.deepEqual(fields(errors), [
      "action.savedAddresses[1].id",
      "action.savedAddresses[1].value.in_pin_code",
      "action.savedAddresses[2].id",
      "action.validationErrors.zip",
      "action.validationErrors.city",
    ]);
  });
});
