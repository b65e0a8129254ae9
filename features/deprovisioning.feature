@deprovisioning @writes
Feature: Deprovisioning
  An integration engineer handling a leaver deletes the QRadar user. The
  deletion is asynchronous: the Console answers with a task, the user stays
  until the task completes, and authorized service tokens outlive the user.
  The connector must poll the task to COMPLETED before it reports the leaver
  as removed, and revoke tokens itself; assuming a synchronous delete causes
  the race conditions the vendor note warns about.

  Background:
    Given the user "hank" has been provisioned

  Scenario: Deleting a user answers with a delete task
    When the connector deletes the user "hank"
    Then the Console accepts the deletion (202) with a delete task
    And the answer points to the delete task
    And the delete task can be read

  Scenario: Once the delete task has completed the user is gone
    When the connector deletes the user "hank"
    And it waits for the delete task to end
    Then the delete task is "COMPLETED"
    When the connector reads the deployed user "hank"
    Then the Console refuses it as not found (404) with QRadar code 38310001
    When the connector deletes the user "hank"
    Then the Console refuses it as not found (404) with QRadar code 1002
    And the message says "The User does not exist"

  @fake-only
  Scenario: The user stays until the delete task completes
    When the connector deletes the user "hank"
    Then the Console accepts the deletion (202) with a delete task
    And the delete task answered is "QUEUED"
    And the deployed user "hank" can still be read
    When the Console's clock moves on by 1 second
    Then the delete task has not completed yet
    And the deployed user "hank" can still be read
    When the Console's clock moves on by 1 minute
    Then the delete task is "COMPLETED"
    When the connector reads the deployed user "hank"
    Then the Console refuses it as not found (404) with QRadar code 38310001

  Scenario: Deleting a user leaves authorized service tokens working
    Given an authorized service "hank-token" with the integration role
    When the connector deletes the user "hank"
    And it waits for the delete task to end
    Then the delete task is "COMPLETED"
    And the token of "hank-token" still works
    When the connector revokes the authorized service "hank-token"
    Then the token of "hank-token" is refused as unauthorized (401)

  Scenario: The deprovisioning workflow confirms the user is gone and revokes the tokens it is given
    Given an authorized service "hank-token" with the integration role
    When the connector deprovisions "hank", revoking "hank-token"
    Then the deprovisioning reports the delete task "COMPLETED" and "hank-token" revoked
    And the token of "hank-token" is refused as unauthorized (401)
    When the connector reads the deployed user "hank"
    Then the Console refuses it as not found (404)

  @fake-only
  Scenario: A delete task that fails leaves the user in place
    Given the Console will end delete tasks with "EXCEPTION"
    When the connector deletes the user "hank"
    And it waits for the delete task to end
    Then the delete task is "EXCEPTION"
    And the deployed user "hank" can still be read
