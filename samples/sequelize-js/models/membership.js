"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Membership extends Model {}
  Membership.init(
    {
      role: {
        type: DataTypes.STRING(20),
        allowNull: false,
        defaultValue: "member",
      },
    },
    {
      sequelize,
      modelName: "Membership",
      tableName: "team_memberships",
    },
  );
  return Membership;
};
