// Prints what Sequelize 6 writes for each data type, per dialect (the oracle of test_column_sql.py).
const { DataTypes } = require('sequelize');
const out = {};
for (const d of ['postgres','sqlite','mysql']) {
  const S = require('sequelize'); const s = new S.Sequelize({dialect: d === 'mysql' ? 'mysql' : d, logging:false, dialectModule: d==='postgres'? undefined : {}, ...(d==='sqlite'?{storage:':memory:'}:{})});
  const qg = s.getQueryInterface().queryGenerator;
  const cases = {
   'STRING': DataTypes.STRING, 'STRING(40)': DataTypes.STRING(40), 'STRING.BINARY': DataTypes.STRING.BINARY, 'CHAR(2)': DataTypes.CHAR(2), 'TEXT': DataTypes.TEXT, "TEXT('long')": DataTypes.TEXT('long'),
   'INTEGER': DataTypes.INTEGER, 'INTEGER(11)': DataTypes.INTEGER(11), 'INTEGER.UNSIGNED': DataTypes.INTEGER.UNSIGNED, 'BIGINT': DataTypes.BIGINT, 'SMALLINT': DataTypes.SMALLINT, 'TINYINT': DataTypes.TINYINT,
   'FLOAT': DataTypes.FLOAT, 'FLOAT(10,2)': DataTypes.FLOAT(10,2), 'DOUBLE': DataTypes.DOUBLE, 'REAL': DataTypes.REAL, 'DECIMAL': DataTypes.DECIMAL, 'DECIMAL(10,2)': DataTypes.DECIMAL(10,2),
   'BOOLEAN': DataTypes.BOOLEAN, 'DATE': DataTypes.DATE, 'DATE(6)': DataTypes.DATE(6), 'DATEONLY': DataTypes.DATEONLY, 'TIME': DataTypes.TIME, 'UUID': DataTypes.UUID, 'JSON': DataTypes.JSON, 'JSONB': DataTypes.JSONB,
   'BLOB': DataTypes.BLOB, 'CITEXT': DataTypes.CITEXT, 'INET': DataTypes.INET, 'TSVECTOR': DataTypes.TSVECTOR,    'ARRAY(STRING)': DataTypes.ARRAY(DataTypes.STRING), 'ARRAY(INTEGER)': DataTypes.ARRAY(DataTypes.INTEGER), 'GEOMETRY': DataTypes.GEOMETRY, "GEOMETRY('POINT',4326)": DataTypes.GEOMETRY('POINT', 4326), 'RANGE(DATE)': DataTypes.RANGE(DataTypes.DATE),
  };
  out[d] = {};
  for (const [k, t] of Object.entries(cases)) {
    try { const a = qg.attributesToSQL({x: s.normalizeAttribute({type: t})}, {context:'createTable'}); out[d][k] = a.x; } catch (e) { out[d][k] = 'ERR ' + e.message; }
  }
}
console.log(JSON.stringify(out, null, 1));
