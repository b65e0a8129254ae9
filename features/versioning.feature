@versions
Feature: API versions
  An integration engineer pins the connector to one API version so that an
  appliance upgrade cannot change what it reads. The Console must honour the
  Version header, answer with its newest version when none is sent (not with
  an older default, as the vendor note feared), flag deprecated versions and
  refuse removed or unknown ones.

  Scenario: Without a Version header the Console answers with its newest version
    When the connector reads the first deployed user without a Version header
    Then the Console answers with the list
    And the user has the same fields as with the newest version the Console lists

  Scenario: The suite's pinned version is supported
    Given the connector pins the suite's API version
    When it lists the user roles
    Then the Console answers with the list
    And the answer carries no deprecation notice

  Scenario: A deprecated version still answers and says so
    Given the connector pins the newest deprecated version the Console lists
    When it lists the user roles
    Then the Console answers with the list
    And the answer carries a deprecation notice

  Scenario: A removed version is refused
    Given the connector pins the newest removed version the Console lists
    When it lists the user roles
    Then the Console refuses it as unprocessable (422)
    And the message says "has been removed and is no longer valid"

  Scenario Outline: The version "<version>" is refused as not valid
    Given the connector pins the API version "<version>"
    When it lists the user roles
    Then the Console refuses it as unprocessable (422)
    And the message says "is not a valid version"

    Examples:
      | version |
      | abc     |
      | 99.0    |
