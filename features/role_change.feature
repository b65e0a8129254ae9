@role-change @writes
Feature: Changing a user's role
  An integration engineer handling a mover changes the user's role. On IBM's
  documented API the change is staged and becomes active with a deploy, and
  the deployed user's own update ignores a role id. The connector must report
  the change only once it is active, and must not trust an update that
  "succeeded" but changed nothing.

  Background:
    Given the user "gina" has been provisioned
    And another role without the administrator capability

  Scenario: A staged role change becomes active with a deploy
    When the connector stages the other role for "gina"
    Then the staged user "gina" has the other role
    And the deployed user "gina" still has the integration role
    When the connector deploys the staged configuration
    Then the deployed user "gina" has the other role

  Scenario: The role change workflow returns once the change is active
    When the connector changes the role of "gina" to the other role
    Then the deployed user "gina" has the other role

  Scenario: A role id in the deployed user's update is ignored
    When the connector sends the other role's id in an update of the deployed user "gina"
    Then the Console answers with the user "gina"
    And the deployed user "gina" still has the integration role
    And the staged user "gina" still has the integration role

  Scenario: A role id that matches no role is refused when staging a change
    When the connector stages a role id that matches no role for "gina"
    Then the Console refuses it as unprocessable (422) with QRadar code 38303003
    And the staged user "gina" still has the integration role
