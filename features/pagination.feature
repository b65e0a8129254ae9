@paging
Feature: Paging through lists
  An integration engineer synchronising every QRadar user into an identity
  graph pages through lists with the Range header and reads Content-Range to
  learn where a list ends, so that each user is fetched exactly once however
  large the Console is.

  Scenario: A window at the start of the list
    When the connector asks for the user roles in the window "items=0-1"
    Then the Console answers with 2 items
    And the Content-Range covers items 0 to 1 of all user roles

  Scenario: A window of one item in the middle of the list
    When the connector asks for the user roles in the window "items=1-1"
    Then the Console answers with 1 item
    And the Content-Range covers items 1 to 1 of all user roles

  Scenario: A window past the end of the list is empty
    When the connector asks for the user roles starting just past the last one
    Then the Console answers with 0 items
    And the Content-Range says there are no items of all user roles

  Scenario: Without a Range header the whole list comes back
    When the connector asks for the user roles without a Range header
    Then the Console answers with all user roles

  Scenario Outline: The malformed Range "<range>" is refused
    When the connector asks for the user roles in the window "<range>"
    Then the Console refuses it as unprocessable (422) with QRadar code 36

    Examples:
      | range     |
      | items=abc |
      | items=0   |
      | pages=0-9 |

  Scenario: A Range that ends before it starts is refused
    When the connector asks for the user roles in the window "items=5-2"
    Then the Console refuses it as unprocessable (422)
    And the message says "is negative"

  Scenario: Walking the roles one per page yields the whole list once
    When the connector walks the user roles 1 per page
    Then it has seen every user role exactly once, in the order of the whole list

  @writes
  Scenario: Walking a filtered list of users two per page
    Given the users "walk-1", "walk-2", "walk-3", "walk-4", "walk-5" exist in staging
    When the connector walks the staged users named "walk-%" 2 per page
    Then it has seen the users "walk-1", "walk-2", "walk-3", "walk-4", "walk-5" once each
    And it needed 3 pages
