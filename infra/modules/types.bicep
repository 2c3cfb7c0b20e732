// Types shared by the templates.

@export()
@description('Resource tags, name to value.')
type tagSet = {
  *: string
}

@export()
@description('App settings or schedules, name to value.')
type stringMap = {
  *: string
}
