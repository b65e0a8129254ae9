@validation @writes
Feature: Validation of new users
  An integration engineer maps identities from another system onto QRadar
  users. When the mapping is wrong the Console must refuse the user with a
  status and a code that name the problem, and create nothing, so that the
  connector can tell an operator which field to fix. The vendor note warns
  that role and security profile names are not accepted where ids belong.

  Scenario: A role name where the role id belongs is refused
    When the connector creates the user "bob" in staging with the role given by name
    Then the Console refuses it as unprocessable (422)
    And there is no staged user "bob"

  Scenario: A security profile name where the profile id belongs is refused
    When the connector creates the user "bob" in staging with the security profile given by name
    Then the Console refuses it as unprocessable (422)
    And there is no staged user "bob"

  Scenario: A role id that matches no role is refused
    When the connector creates the user "bob" in staging with a role id that matches no role
    Then the Console refuses it as unprocessable (422) with QRadar code 38302003
    And the message says "No user role found for the provided user_role_id."
    And there is no staged user "bob"

  Scenario: A security profile id that matches no profile is refused
    When the connector creates the user "bob" in staging with a security profile id that matches no profile
    Then the Console refuses it as unprocessable (422) with QRadar code 38302007
    And the message says "No security profile found for the provided security_profile_id."
    And there is no staged user "bob"

  Scenario Outline: A user without <field> is refused
    When the connector creates the user "bob" in staging without <field>
    Then the Console refuses it as unprocessable (422) with QRadar code <code>
    And there is no staged user "bob"

    Examples:
      | field               | code     |
      | username            | 38302020 |
      | user_role_id        | 38302021 |
      | security_profile_id | 38302022 |
      | email               | 38302012 |

  Scenario Outline: The email "<email>" is refused
    When the connector creates the user "bob" in staging with the email "<email>"
    Then the Console refuses it as unprocessable (422) with QRadar code 38302014
    And there is no staged user "bob"

    Examples:
      | email            |
      | not-an-email     |
      | two@@example.com |
      | a b@example.com  |
      | @example.com     |

  Scenario: A username that is already taken is refused
    Given the user "carol" has been created in staging
    When the connector creates the user "carol" in staging
    Then the Console refuses it as a conflict (409) with QRadar code 38302002
    And the message says "username already in use"

  Scenario: A username that is already an authorized service's label is refused
    Given an authorized service "carol" with the integration role
    When the connector creates the user "carol" in staging
    Then the Console refuses it as a conflict (409) with QRadar code 38302002

  Scenario: An administrator must use the Admin security profile
    When the connector creates the user "dave" in staging with the administrator role
    Then the Console refuses it as unprocessable (422) with QRadar code 38302024
    And there is no staged user "dave"
