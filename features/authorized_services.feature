@services @writes
Feature: Authorized services
  An integration engineer gives each connector its own authorized service
  and sends its token in the SEC header. The engineer needs to create a
  service with a chosen role, use its token, know that the Console shows the
  token only once, and revoke it, so that credentials can be rotated without
  touching anyone else's.

  Scenario: A new authorized service comes with a token that works
    When the connector creates the authorized service "ivan" with the integration role and security profile
    Then the Console confirms the creation (201)
    And the answer shows the token of "ivan"
    And the token of "ivan" works
    And reading the authorized service "ivan" does not show its token
    And listing the authorized services shows no token

  Scenario: A label that is already taken is refused
    Given an authorized service "ivan" with the integration role
    When the connector creates the authorized service "ivan" with the integration role and security profile
    Then the Console refuses it as unprocessable (422) with QRadar code 95103008
    And the message says "must be unique"

  Scenario: A label that is already a username is refused
    Given the user "judy" has been created in staging
    When the connector creates the authorized service "judy" with the integration role and security profile
    Then the Console refuses it as unprocessable (422) with QRadar code 95103008

  Scenario: Revoking a service stops its token at once
    Given an authorized service "kate" with the integration role
    When the connector revokes the authorized service "kate"
    Then the token of "kate" is refused as unauthorized (401)
    When the connector reads the authorized service "kate"
    Then the Console refuses it as not found (404)
    When the connector revokes the authorized service "kate"
    Then the Console refuses it as not found (404) with QRadar code 95105001
