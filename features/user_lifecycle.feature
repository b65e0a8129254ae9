@users @writes
Feature: User lifecycle
  An integration engineer provisioning QRadar users from an identity
  governance tool needs to know where a new user lives before and after a
  deploy, how to change one field without touching the others, and what the
  Console never gives back, so that the connector neither reports a user as
  active too early nor overwrites fields it did not mean to change.

  Scenario: A new user is created in staging
    When the connector creates the user "alice" in staging
    Then the Console confirms the creation (201)
    And the answer points to the staged user "alice"
    And the staged user "alice" has the integration role and security profile
    And the user "alice" is not among the deployed users yet

  Scenario: A deploy makes the staged user active
    Given the user "alice" has been created in staging
    When the connector deploys the staged configuration
    Then the deployed user "alice" has the integration role and security profile
    And the deployed user "alice" can be found by username

  Scenario: An update changes only the fields it names
    Given the user "alice" has been provisioned
    When the connector updates only the email of "alice" to "alice.new@example.com"
    Then the Console answers with the user "alice"
    And the deployed user "alice" has the email "alice.new@example.com"
    And every other field of the deployed user "alice" is unchanged

  Scenario Outline: Updating a user with <method> is refused
    Given the user "alice" has been provisioned
    When the connector sends a <method> request that changes the email of "alice"
    Then the Console refuses it as method not allowed (405)
    And every field of the deployed user "alice" is unchanged

    Examples:
      | method |
      | PUT    |
      | PATCH  |

  Scenario: The password is never returned
    Given the user "alice" has been provisioned
    When the connector reads the user "alice" as deployed, as staged and in both lists
    Then every answer has the password as null
