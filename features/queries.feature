@queries
Feature: Filtering, choosing fields and sorting
  An integration engineer reconciling QRadar with a directory lets the
  Console filter, project and sort, so that the connector finds one user by
  username without downloading every user, and a malformed query fails loudly
  instead of quietly returning everything.

  Scenario: Filter the user roles by exact name
    When the connector lists the user roles whose name is the integration role
    Then the Console answers with 1 item
    And every item is named like the integration role

  Scenario: Choose the fields of each item
    When the connector lists the user roles with the fields "id,name"
    Then the Console answers with the list
    And every item has exactly the fields "id,name"

  Scenario: Sort by id, descending
    When the connector lists the user roles sorted by "-id"
    Then the Console answers with the list
    And the items are in descending order of "id"

  Scenario: A value with quotes stays a value
    When the connector lists the deployed users whose username is:
      """
      x" or username != "
      """
    Then the Console answers with 0 items

  Scenario: A malformed filter is refused
    When the connector lists the user roles with the filter "name ="
    Then the Console refuses it as unprocessable (422)
    And the message says "Error Parsing filter"

  Scenario: An unknown field is refused
    When the connector lists the user roles with the fields "id,no_such_field"
    Then the Console refuses it as unprocessable (422) with QRadar code 30

  Scenario: Sorting the deployed users by an unknown field is refused
    When the connector lists the deployed users sorted by "+no_such_field"
    Then the Console refuses it as unprocessable (422) with QRadar code 38314001

  @writes
  Scenario: Find staged users by a username pattern, sorted
    Given the users "query-c", "query-a", "query-b" exist in staging
    When the connector lists the staged users named "query-%" sorted by "+username"
    Then it receives the users "query-a", "query-b", "query-c" in that order

  @writes
  Scenario: Find a deployed user by its exact username
    Given the user "lena" has been provisioned
    When the connector looks for the deployed user named "lena"
    Then it finds the user "lena" and no other
