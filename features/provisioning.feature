@provisioning
Feature: Provisioning a new user
  The vendor note provisions an analyst in three steps: look up the role id
  by name, look up the security profile id by name, then create the user with
  both ids. An integration engineer needs those steps to work by name against
  any Console, so that the connector never hard-codes ids that differ from
  one Console to the next, and needs the user to be active when the
  connector reports it provisioned.

  @writes
  Scenario: Provision a user step by step, resolving names to ids
    When the connector looks up the integration role by name
    And it looks up the integration security profile by name
    And it creates the user "dana" in staging with those ids
    And it deploys the staged configuration
    Then the deployed user "dana" has the integration role and security profile
    And the deployed user "dana" can be found by username

  @writes
  Scenario: Provision a user in one call
    When the connector provisions the user "erin" with the integration role and security profile
    Then the deployed user "erin" has the integration role and security profile
    And the deployed user "erin" can be found by username

  Scenario: A role name that matches no role is reported with the names that exist
    When the connector provisions the user "frank" with the role "No Such Role"
    Then provisioning fails naming the roles that exist, among them the integration role
    And there is no staged user "frank"
