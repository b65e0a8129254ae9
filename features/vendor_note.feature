@vendor-note
Feature: The vendor note's paths
  Many connectors were written from the vendor note rather than from IBM's
  API reference. The fake serves the note's paths and shapes next to IBM's;
  an integration engineer runs these scenarios against a Console to learn
  which of them it really serves before relying on them. IBM does not
  document these paths: a failure here against a real Console means "move
  the connector to the documented API", not "the Console is broken".

  Scenario: Roles are listed at the vendor note's path
    When the connector lists the roles at the vendor note's path
    Then the Console answers with the list
    And it lists the same roles as the documented path

  @writes
  Scenario: Creating a user at the deployed path creates and deploys it at once
    When the connector creates the user "mona" at the vendor note's path with nested role and security profile ids
    Then the Console confirms the creation (201)
    And the deployed user "mona" has the integration role and security profile

  @writes
  Scenario: A role name in the nested role object is refused
    When the connector creates the user "mona" at the vendor note's path with the role given by name
    Then the Console refuses it as unprocessable (422)
    And there is no staged user "mona"

  @writes
  Scenario: Deleting at the deployed path answers with a task_id polled at the vendor note's path
    Given the user "nina" has been provisioned
    When the connector deletes the user "nina" at the vendor note's path
    Then the Console accepts the deletion (202) with a delete task
    And the delete task carries a task_id
    When it waits for the delete task at the vendor note's path to end
    Then the delete task is "COMPLETED"
    When the connector reads the deployed user "nina"
    Then the Console refuses it as not found (404)

  @writes
  Scenario: A nested role in the deployed user's update applies at once
    Given the user "olga" has been provisioned
    And another role without the administrator capability
    When the connector changes the role of "olga" to the other role the vendor note's way
    Then the deployed user "olga" has the other role
