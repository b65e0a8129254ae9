module github.com/fakeqradar/fakeqradar

go 1.26.0
