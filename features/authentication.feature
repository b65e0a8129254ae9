@auth
Feature: Authentication
  An integration engineer wiring a connector to QRadar needs to know which
  credentials the Console accepts and how it refuses the others, so that the
  connector can tell an operator "this token is wrong" apart from "this token
  lacks a capability" instead of retrying blindly.

  Scenario: An authorized service token opens the API
    Given the connector authenticates with its authorized service token
    When it lists the user roles
    Then the Console answers with the list

  Scenario: An administrator's username and password open the API
    Given the connector authenticates with the administrator's username and password
    When it lists the user roles
    Then the Console answers with the list

  Scenario: A request without credentials is refused
    Given the connector sends no credentials
    When it lists the user roles
    Then the Console refuses it as unauthorized (401) with QRadar code 18
    And the message says "No SEC header present in request"

  Scenario: A token the Console never issued is refused
    Given the connector authenticates with the token "00000000-0000-4000-8000-000000000000"
    When it lists the user roles
    Then the Console refuses it as unauthorized (401)

  Scenario: A username the Console does not know is refused
    Given the connector authenticates as the user "nobody" with the password "Not-The-Passw0rd!"
    When it lists the user roles
    Then the Console refuses it as unauthorized (401)

  @writes
  Scenario: A token whose role lacks the administrator capability cannot manage users
    Given an authorized service "viewer" with the integration role
    And the connector authenticates with the token of "viewer"
    When it lists the staged users
    Then the Console refuses it as forbidden (403) with QRadar code 26
    And the message says "User has insufficient capabilities to access this endpoint resource"
